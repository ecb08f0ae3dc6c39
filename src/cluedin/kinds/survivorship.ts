/**
 * dedup `survivorship` ↔ Survivorship-scope rules, one per field, named `<project>.survivorship.<field>`. Each
 * strategy maps to the platform's survivorship action by its UI name; `longest` has none. The platform's default
 * (no rule) is the latest value, so `most_recent` as the default needs no rule.
 */
import type { DedupRules, Entity } from "../../types/index.js";
import type { SurvivorshipStrategy } from "../../types/generated/dedup.js";
import { action, actionKey, type ActionKey } from "../actions.js";
import { entityTypeLeaf, group } from "../conditions.js";
import type { ChildRule, RuleObject } from "../model.js";
import { fieldContext, ruleObject, type CompileContext } from "./context.js";

const STRATEGIES: Partial<Record<SurvivorshipStrategy, { action: ActionKey; approximation?: string }>> = {
  most_frequent: { action: "mostFrequent" },
  most_recent: {
    action: "latestModified",
    approximation:
      "CluedIn takes the value of the record modified last on the platform, not by a field of the record",
  },
  most_complete: {
    action: "mostProperties",
    approximation:
      "CluedIn's Most Properties picks the record with the most values, for this field as a whole record, not the most complete value",
  },
  source_priority: {
    action: "providerDefinition",
    approximation:
      "the platform ranks by provider definition: each source name must be a provider definition's name, and child rule order gives the priority [inferred]",
  },
};
const SEPARATOR = ".survivorship.";

export function survivorshipRuleName(project: string, field: string): string {
  return `${project}${SEPARATOR}${field}`;
}

export function compileSurvivorship(
  project: string,
  spec: DedupRules,
  entity: Entity,
  ctx: CompileContext,
): RuleObject[] {
  const s = spec.survivorship;
  if (!s) return [];
  if (s.recency_field !== undefined)
    ctx.unsupported(
      ["survivorship", "recency_field"],
      "Not deployed: CluedIn's recency is the record's modified date on the platform.",
    );
  if (s.source_order !== undefined)
    ctx.unsupported(
      ["survivorship", "source_order"],
      "Not deployed: the platform's survivorship has no tie-breaking order.",
    );
  const fields = Object.entries(s.fields ?? {}).map(([field, choice]) => ({
    field,
    choice,
    path: ["survivorship", "fields", field, "strategy"],
  }));
  if (s.default !== undefined && s.default !== "most_recent") {
    for (const field of Object.keys(entity.fields))
      if (!Object.hasOwn(s.fields ?? {}, field))
        fields.push({
          field,
          choice: {
            strategy: s.default,
            ...(s.source_order ? { order: s.source_order as [string, ...string[]] } : {}),
          },
          path: ["survivorship", "default"],
        });
  } else if (s.default === "most_recent")
    ctx.approximated(
      ["survivorship", "default"],
      "The platform's default survivorship is the latest value by the record's modified date on the platform, not by a field of the record.",
    );
  const rules: RuleObject[] = [];
  for (const { field, choice, path } of fields) {
    const strategy = STRATEGIES[choice.strategy];
    if (!strategy) {
      ctx.unsupported(
        path,
        `Field "${field}": strategy ${choice.strategy} is not deployed: CluedIn has no equivalent survivorship action.`,
      );
      continue;
    }
    if (strategy.approximation)
      ctx.approximated(path, `Field "${field}": ${choice.strategy}: ${strategy.approximation}.`);
    const key = fieldContext(entity).key(field);
    const children: ChildRule[] =
      choice.strategy === "source_priority"
        ? (choice.order ?? s.source_order ?? []).map((source, i) =>
            child(
              `source ${i + 1}`,
              i + 1,
              action(strategy.action, { FieldName: key, ProviderDefinition: source }),
            ),
          )
        : [child(choice.strategy, 1, action(strategy.action, { FieldName: key }))];
    const name = survivorshipRuleName(project, field);
    const scope = group("AND", [entityTypeLeaf(entity.entity)]);
    rules.push(ruleObject("Survivorship", name, `Survivorship of ${field} in ${project}.`, scope, children));
  }
  return rules;
}

const child = (name: string, order: number, a: ChildRule["actions"][number]): ChildRule => ({
  name,
  order,
  isActive: true,
  conditions: group("AND", []),
  actions: [a],
});

/** The project's survivorship rules → the `survivorship` block (fields only; default stays the platform's). */
export function importSurvivorship(
  project: string,
  rules: RuleObject[],
  entity: Entity,
  unsupported: string[],
): { survivorship?: DedupRules["survivorship"] } {
  const fields: NonNullable<NonNullable<DedupRules["survivorship"]>["fields"]> = {};
  for (const rule of rules) {
    const field = rule.body.name.slice(project.length + SEPARATOR.length);
    const children = [...rule.body.rules].sort((a, b) => a.order - b.order);
    const kinds = children.map((c) => (c.actions.length === 1 ? actionKey(c.actions[0]!) : undefined));
    const strategy = (Object.keys(STRATEGIES) as SurvivorshipStrategy[]).find(
      (k) => STRATEGIES[k]!.action === kinds[0],
    );
    if (!Object.hasOwn(entity.fields, field) || !strategy || kinds.some((k) => k !== kinds[0])) {
      unsupported.push(`rule Survivorship/${rule.body.name}: not a survivorship strategy clue can write`);
      continue;
    }
    const order = children.map((c) => c.actions[0]!.properties.ProviderDefinition ?? "");
    fields[field] =
      strategy === "source_priority" ? { strategy, order: order as [string, ...string[]] } : { strategy };
  }
  return Object.keys(fields).length === 0 ? {} : { survivorship: { fields } };
}
