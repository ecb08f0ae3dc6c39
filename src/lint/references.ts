import { diagnosticAt } from "../config/locate.js";
import type { Resource } from "../config/project.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import type { EntityField } from "../types/index.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { LintContext, LintRule } from "./rule.js";

/** Every reference to an entity, a field or a source resolves (SPEC section 3). */
export const referencesRule: LintRule = {
  name: "references",
  run(ctx) {
    for (const r of ctx.project.resources) {
      if (!r.valid) continue;
      switch (r.kind) {
        case "mapping": {
          const m = r as Resource<"mapping">;
          const fields = entityFields(ctx, r, m.spec.entity, ["entity"]);
          if (!fields) break;
          for (const field of Object.keys(m.spec.fields))
            checkField(ctx, r, m.spec.entity, fields, field, ["fields", field], "key");
          for (const [field, def] of Object.entries(fields)) {
            if (def.required && !Object.hasOwn(m.spec.fields, field)) {
              ctx.report(
                diagnosticAt(
                  r.doc,
                  ["fields"],
                  "mapping/required-field-unmapped",
                  `Required field "${field}" of ${m.spec.entity} is not mapped.`,
                  {
                    part: "key",
                    hint: `Add \`${field}: $.<path>\` under fields, or make the field optional in the entity.`,
                  },
                ),
              );
            }
          }
          break;
        }
        case "cleaning": {
          const c = r as Resource<"cleaning">;
          const fields = entityFields(ctx, r, c.spec.entity, ["entity"]);
          if (!fields) break;
          c.spec.steps.forEach((step, i) => {
            if (typeof step.field === "string")
              checkField(ctx, r, c.spec.entity, fields, step.field, ["steps", i, "field"]);
          });
          break;
        }
        case "validation":
          checkValidation(ctx, r as Resource<"validation">);
          break;
        case "dedup":
          checkDedup(ctx, r as Resource<"dedup">);
          break;
        case "export":
          checkExport(ctx, r as Resource<"export">);
          break;
        case "test": {
          const t = r as Resource<"test">;
          checkSource(ctx, r, t.spec.source, ["source"]);
          (t.spec.also ?? []).forEach((a, i) => checkSource(ctx, r, a.source, ["also", i, "source"]));
          break;
        }
        default:
          break;
      }
    }
  },
};

function checkValidation(ctx: LintContext, r: Resource<"validation">): void {
  const { spec } = r;
  const fields = entityFields(ctx, r, spec.entity, ["entity"]);
  const checkName = Object.keys(spec.check)[0] ?? "";
  if (spec.field === undefined && checkName !== "expr") {
    ctx.report(
      diagnosticAt(
        r.doc,
        ["check"],
        "validation/missing-field",
        `The ${checkName} check needs a \`field:\` naming the field it checks.`,
        {
          part: "key",
          hint: `Add \`field: <name>\` beside \`check:\`${fields ? ` (fields of ${spec.entity}: ${Object.keys(fields).join(", ")})` : ""}.`,
        },
      ),
    );
  }
  if (fields && spec.field !== undefined) checkField(ctx, r, spec.entity, fields, spec.field, ["field"]);
  const reference = spec.check.reference;
  if (reference?.entity !== undefined) {
    const target = entityFields(ctx, r, reference.entity, ["check", "reference", "entity"]);
    if (target && reference.field !== undefined) {
      checkField(ctx, r, reference.entity, target, reference.field, ["check", "reference", "field"]);
    }
  }
  if (reference?.table !== undefined) {
    const known = [...ctx.project.dataFiles].filter((f) => f.startsWith("config/reference/"));
    const names = known.map((f) => f.slice("config/reference/".length).replace(/\.(csv|jsonl|json)$/, ""));
    if (!names.includes(reference.table)) {
      const guess = didYouMean(reference.table, names);
      ctx.report(
        diagnosticAt(
          r.doc,
          ["check", "reference", "table"],
          "validation/reference-table-missing",
          `No reference table "${reference.table}" in config/reference/.`,
          {
            hint: guess ? `Did you mean "${guess}"?` : `Add config/reference/${reference.table}.csv.`,
          },
        ),
      );
    }
  }
}

function checkDedup(ctx: LintContext, r: Resource<"dedup">): void {
  const { spec } = r;
  const fields = entityFields(ctx, r, spec.entity, ["entity"]);
  const survivorship = spec.survivorship;
  if (!survivorship) return;
  (survivorship.source_order ?? []).forEach((s, i) =>
    checkSource(ctx, r, s, ["survivorship", "source_order", i]),
  );
  if (fields && survivorship.recency_field !== undefined) {
    checkField(ctx, r, spec.entity, fields, survivorship.recency_field, ["survivorship", "recency_field"]);
  }
  for (const [field, rule] of Object.entries(survivorship.fields ?? {})) {
    if (fields) checkField(ctx, r, spec.entity, fields, field, ["survivorship", "fields", field], "key");
    (rule.order ?? []).forEach((s, i) =>
      checkSource(ctx, r, s, ["survivorship", "fields", field, "order", i]),
    );
  }
}

function checkExport(ctx: LintContext, r: Resource<"export">): void {
  const { spec } = r;
  for (const [column, ref] of Object.entries(spec.mapping ?? {})) {
    const [entity = "", field = ""] = ref.split(".");
    const fields = entityFields(ctx, r, entity, ["mapping", column], `"${ref}" names`);
    if (fields) checkField(ctx, r, entity, fields, field, ["mapping", column]);
  }
  (spec.entity_types ?? []).forEach((entity, i) => entityFields(ctx, r, entity, ["entity_types", i]));
  // Masked and partitioning attributes belong to the exported entities: a typo here would publish PII unmasked.
  const exported =
    spec.entity_types ?? Object.values(spec.mapping ?? {}).map((ref) => ref.split(".")[0] ?? "");
  const known = new Set(
    [...new Set(exported)].flatMap((entity) => Object.keys(ctx.index.fieldsOf(entity) ?? {})),
  );
  if (known.size === 0) return;
  const check = (field: string, path: NodePath, part: "key" | "value") => {
    if (known.has(field)) return;
    const guess = didYouMean(field, known);
    ctx.report(
      diagnosticAt(
        r.doc,
        path,
        "ref/unknown-field",
        `No exported entity (${[...new Set(exported)].join(", ")}) has a field "${field}".`,
        {
          part,
          hint: guess ? `Did you mean "${guess}"?` : `Fields: ${[...known].join(", ")}.`,
        },
      ),
    );
  };
  for (const field of Object.keys(spec.mask ?? {})) check(field, ["mask", field], "key");
  if (spec.partition_key !== undefined && spec.partition_key !== "entityId")
    check(spec.partition_key, ["partition_key"], "value");
}

/** The entity's fields, or a diagnostic at `path` when no entity has that name. */
export function entityFields(
  ctx: LintContext,
  r: Resource,
  entity: string,
  path: NodePath,
  lead = "Entity",
): Record<string, EntityField> | undefined {
  const fields = ctx.index.fieldsOf(entity);
  if (fields) return fields;
  if (ctx.index.byName.entity.has(entity)) return undefined; // exists but broke its schema: reported there
  const known = [...ctx.index.byName.entity.keys()];
  const guess = didYouMean(entity, known);
  ctx.report(
    diagnosticAt(
      r.doc,
      path,
      "ref/unknown-entity",
      `${lead} "${entity}" is not defined${lead === "Entity" ? "" : " as an entity"}.`,
      {
        hint: guess
          ? `Did you mean "${guess}"?`
          : known.length > 0
            ? `Entities: ${known.join(", ")}.`
            : "Add the entity under config/entities/.",
      },
    ),
  );
  return undefined;
}

export function checkField(
  ctx: LintContext,
  r: Resource,
  entity: string,
  fields: Record<string, EntityField>,
  field: string,
  path: NodePath,
  part: "key" | "value" = "value",
): void {
  if (Object.hasOwn(fields, field)) return;
  const guess = didYouMean(field, Object.keys(fields));
  ctx.report(
    diagnosticAt(r.doc, path, "ref/unknown-field", `${entity} has no field "${field}".`, {
      part,
      hint: guess ? `Did you mean "${guess}"?` : `Fields of ${entity}: ${Object.keys(fields).join(", ")}.`,
    }),
  );
}

function checkSource(ctx: LintContext, r: Resource, source: string, path: NodePath): void {
  if (ctx.index.sources.has(source)) return;
  const known = [...ctx.index.sources.keys()];
  const guess = didYouMean(source, known);
  ctx.report(
    diagnosticAt(r.doc, path, "ref/unknown-source", `No mapping reads a source named "${source}".`, {
      hint: guess
        ? `Did you mean "${guess}"?`
        : known.length > 0
          ? `Sources: ${known.join(", ")}.`
          : "Add a mapping under config/mappings/.",
    }),
  );
}
