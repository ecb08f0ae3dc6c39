/**
 * validation ↔ one Entity-scope (golden record) rule: filter = `EntityType Equals /<Entity>` AND the condition
 * under which the check FAILS; one child rule tags each failing record `clue:invalid:<rule>`. Each check is
 * written as the clue expression that holds when it passes, then compiled with the `fails` polarity, so null
 * passes every check but required and not_blank exactly as clue evaluates them.
 */
import type { NodePath } from "../../diagnostics/diagnostic.js";
import { parse } from "../../expr/parser.js";
import type { Entity, Validation } from "../../types/index.js";
import type { Check } from "../../types/generated/validation.js";
import { action, actionKey } from "../actions.js";
import { clueLiteral, paren } from "../clue-text.js";
import { entityTypeLeaf, group, normalize, toCondition } from "../conditions.js";
import { fromCondition } from "../conditions-import.js";
import { fromDotnet } from "../dotnet-regex.js";
import type { Condition, RuleObject } from "../model.js";
import { operatorName } from "../operators.js";
import { fieldOfKeyIn } from "./cleaning-rule.js";
import {
  fieldContext,
  fileName,
  yamlText,
  type CompileContext,
  type ImportedFile,
  entityOrReport,
  ruleObject,
} from "./context.js";

export const TAG_PREFIX = "clue:invalid:";

/** The same shapes src/pipeline/checks.ts tests, where a pattern says it exactly or nearly. */
const FORMATS: Record<string, { pattern: string; approximation?: string }> = {
  email: {
    pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
    approximation: "clue also fails emails longer than 254 characters",
  },
  e164: { pattern: "^\\+[1-9]\\d{1,14}$" },
  uuid: { pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" },
  date: {
    pattern: "^\\d{4}-\\d{2}-\\d{2}$",
    approximation:
      "the platform checks the shape only; clue also rejects dates that do not exist (2024-02-30)",
  },
};

type Passing = { expr: string; path: NodePath; located: boolean } | { reason: string; path: NodePath };

/** The clue expression that holds when the check passes, or why the platform cannot test it. */
function passing(spec: Validation, ctx: CompileContext): Passing {
  const check = spec.check;
  const f = spec.field;
  const at = (k: keyof Check): NodePath => ["check", k];
  if (check.expr !== undefined) return { expr: check.expr, path: at("expr"), located: true };
  if (check.unique) return { reason: "uniqueness across records has no rule condition", path: at("unique") };
  if (check.reference)
    return {
      reason: "a lookup in another entity or a reference table has no rule condition",
      path: at("reference"),
    };
  if (f === undefined) return { reason: "the check names no field", path: ["check"] };
  const bounds = (lhs: string, b: { min?: number; max?: number }) =>
    [
      b.min === undefined ? undefined : `${lhs} >= ${b.min}`,
      b.max === undefined ? undefined : `${lhs} <= ${b.max}`,
    ]
      .filter(Boolean)
      .join(" and ") || "true";
  if (check.required) return { expr: `${f} is not null`, path: at("required"), located: false };
  if (check.not_blank)
    return {
      expr: `${f} is not null and not regex_matches(${f}, "^\\\\s*$")`,
      path: at("not_blank"),
      located: false,
    };
  if (check.regex !== undefined)
    return { expr: `regex_matches(${f}, ${clueLiteral(check.regex)})`, path: at("regex"), located: false };
  if (check.enum)
    return {
      expr: `${f} in [${check.enum.map((v) => (typeof v === "string" ? clueLiteral(v) : String(v))).join(", ")}]`,
      path: at("enum"),
      located: false,
    };
  if (check.range) return { expr: bounds(f, check.range), path: at("range"), located: false };
  if (check.length) return { expr: bounds(`length(${f})`, check.length), path: at("length"), located: false };
  if (check.format !== undefined) {
    const format = FORMATS[check.format];
    if (!format)
      return { reason: `format ${check.format} has no pattern that says it exactly`, path: at("format") };
    if (format.approximation)
      ctx.approximated(at("format"), `format ${check.format}: ${format.approximation}.`);
    return {
      expr: `regex_matches(${f}, ${clueLiteral(format.pattern)})`,
      path: at("format"),
      located: false,
    };
  }
  return { reason: "the check is empty", path: ["check"] };
}

export function compileValidation(spec: Validation, ctx: CompileContext): RuleObject[] {
  const entity = entityOrReport(spec.entity, ctx);
  if (!entity) return [];
  reportSettings(spec, ctx);
  const check = passing(spec, ctx);
  if ("reason" in check) {
    ctx.unsupported(check.path, `Validation "${spec.rule}" is not deployed: ${check.reason}.`);
    return [];
  }
  const parsed = parse(check.expr);
  if (!parsed.ok) {
    ctx.unsupported(check.path, `Validation "${spec.rule}" is not deployed: ${parsed.error.message}`);
    return [];
  }
  const failing = toCondition(parsed.node, fieldContext(entity), "fails");
  if (!failing.ok) {
    ctx.unsupported(
      check.path,
      `Validation "${spec.rule}" is not deployed: ${failing.reason}.`,
      check.located ? { span: failing.span } : {},
    );
    return [];
  }
  for (const a of failing.approximations)
    ctx.approximated(check.path, a.message, check.located ? { span: a.span } : {});
  return [rule(spec, entity, failing.condition)];
}

function rule(spec: Validation, entity: Entity, failing: Condition): RuleObject {
  const flag = {
    name: "flag",
    order: 1,
    isActive: true,
    conditions: group("AND", []),
    actions: [action("addTag", { Value: `${TAG_PREFIX}${spec.rule}` })],
  };
  const condition = normalize(group("AND", [entityTypeLeaf(entity.entity), failing]));
  return ruleObject("Entity", spec.rule, spec.description ?? "", condition, [flag]);
}

function reportSettings(spec: Validation, ctx: CompileContext): void {
  if (spec.severity !== undefined)
    ctx.unsupported(
      ["severity"],
      "Not deployed: the platform has no severity; every failing record gets the same tag.",
    );
  if (spec.on_fail && spec.on_fail.action !== "flag")
    ctx.unsupported(
      ["on_fail", "action"],
      `Not deployed: records failing the rule are tagged, not ${spec.on_fail.action === "reject" ? "kept out of golden records and exports" : "quarantined"}.`,
      {
        hint: "Filter the tag out in streams' conditions, or review tagged records in the platform.",
      },
    );
  if (spec.threshold !== undefined)
    ctx.unsupported(
      ["threshold"],
      "Not deployed: a failure ratio is a clue test-run setting; the platform only tags records.",
    );
}

/** An Entity rule clue wrote → `config/validations/<rule>.yaml`; undefined when its shape is not clue's. */
export function importValidation(
  rule: RuleObject,
  entityOf: (code: string) => Entity | undefined,
  unsupported: string[],
): ImportedFile | undefined {
  const why = (reason: string) => (unsupported.push(`rule Entity/${rule.body.name}: ${reason}`), undefined);
  const tag = rule.body.rules.length === 1 ? rule.body.rules[0]!.actions : [];
  if (
    tag.length !== 1 ||
    actionKey(tag[0]!) !== "addTag" ||
    tag[0]!.properties.Value !== `${TAG_PREFIX}${rule.body.name}`
  )
    return why(`not a validation: its only action is not Add Tag ${TAG_PREFIX}${rule.body.name}`);
  const top = rule.body.condition;
  const parts = top.kind === "group" && top.condition === "AND" ? top.rules : [top];
  const scope = parts[0];
  const entity =
    scope?.kind === "leaf" && scope.field === "EntityType" ? entityOf(scope.value[0] ?? "") : undefined;
  if (!entity) return why("its filter does not start with an entity type clue defines");
  const failing = parts.slice(1);
  const check = importCheck(failing, (key) => fieldOfKeyIn(entity, key));
  if (!check) return why("its failing condition is not one clue can write");
  const spec = {
    rule: rule.body.name,
    entity: entity.entity,
    ...(check.field ? { field: check.field } : {}),
    ...(rule.body.description ? { description: rule.body.description } : {}),
    check: check.check,
  };
  return { path: `config/validations/${fileName(rule.body.name)}.yaml`, text: yamlText(spec) };
}

function importCheck(
  failing: Condition[],
  fieldOfKey: (key: string) => string | undefined,
): { field?: string; check: Check } | undefined {
  const fieldOfLeaf = (c: Condition | undefined) =>
    c?.kind === "leaf" ? fieldOfKey(/^Properties\[(.+)\]$/.exec(c.field ?? "")?.[1] ?? "") : undefined;
  const [a, b] = failing;
  const op = (c: Condition | undefined) => (c?.kind === "leaf" ? operatorName(c.operator) : undefined);
  if (failing.length === 1 && op(a) === "IsNull" && fieldOfLeaf(a))
    return { field: fieldOfLeaf(a)!, check: { required: true } };
  if (
    failing.length === 2 &&
    op(a) === "IsNotNull" &&
    op(b) === "DoesNotMatchPattern" &&
    fieldOfLeaf(a) === fieldOfLeaf(b) &&
    fieldOfLeaf(a) &&
    b?.kind === "leaf"
  )
    return { field: fieldOfLeaf(a)!, check: { regex: fromDotnet(b.value[0] ?? "") } };
  const text = fromCondition(failing.length === 1 ? failing[0]! : group("AND", failing), fieldOfKey);
  return text === undefined ? undefined : { check: { expr: `not ${paren(text)}` } };
}
