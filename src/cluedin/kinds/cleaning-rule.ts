/**
 * cleaning project ↔ one DataPart rule: filter `EntityType Equals /<Entity>`, one child rule per step in step
 * order; `when` → the child's conditions; `set` of a constant → Set Value, of an expression → Formula Action
 * (Power Fx), `clear` → Delete Value. Steps the platform cannot run are left out, each with a diagnostic.
 */
import type { NodePath } from "../../diagnostics/diagnostic.js";
import type { Node } from "../../expr/ast.js";
import { parse } from "../../expr/parser.js";
import type { CleaningProject, CleaningStep, Entity } from "../../types/index.js";
import { action, actionKey } from "../actions.js";
import { clueLiteral } from "../clue-text.js";
import { entityTypeLeaf, group, toCondition } from "../conditions.js";
import { fromCondition } from "../conditions-import.js";
import type { ChildRule, Condition, RuleAction, RuleObject } from "../model.js";
import { call, parseFx, printFx, str, type Fx } from "../powerfx-syntax.js";
import { fromPowerFx, readField, toPowerFx, type FieldContext } from "../powerfx.js";
import {
  fieldContext,
  fileName,
  reportApproximations,
  yamlText,
  type CompileContext,
  type ImportedFile,
  entityOrReport,
  scopedEntity,
  ruleObject,
} from "./context.js";

export function compileCleaning(spec: CleaningProject, ctx: CompileContext): RuleObject[] {
  const entity = entityOrReport(spec.entity, ctx);
  if (!entity) return [];
  if (spec.schedule !== undefined)
    ctx.unsupported(
      ["schedule"],
      "Not deployed: CluedIn runs rules whenever records are processed; there is no schedule.",
    );
  const fields = fieldContext(entity);
  const children: ChildRule[] = [];
  const skipped: string[] = [];
  spec.steps.forEach((step, i) => {
    const later = spec.steps.slice(i + 1);
    const child = compileStep(step, ["steps", i], fields, ctx, skipped, later);
    if (child) children.push({ ...child, order: children.length + 1 });
  });
  if (children.length === 0) {
    ctx.unsupported(["steps"], "Not deployed: none of the project's steps can run on CluedIn.");
    return [];
  }
  const scope = group("AND", [entityTypeLeaf(entity.entity)]);
  return [ruleObject("DataPart", spec.project, spec.description ?? "", scope, children)];
}

function compileStep(
  step: CleaningStep,
  path: NodePath,
  fields: FieldContext,
  ctx: CompileContext,
  skipped: string[],
  later: CleaningStep[],
): ChildRule | undefined {
  const skip = (at: NodePath, why: string, span?: Node["span"]) => {
    // A later step that reads or writes this step's field would then see other values: its meaning changes.
    const field = step.field;
    const changesLater = field !== undefined && later.some((s) => mentions(s, field));
    ctx.unsupported(at, `Step "${step.name}" is not deployed: ${why}.`, {
      ...(span ? { span } : {}),
      error: changesLater,
      ...(changesLater
        ? {
            hint: `A later step uses ${field}: on CluedIn it would see values this step did not clean. Remove the dependency or keep this project clue-side.`,
          }
        : {}),
    });
    skipped.push(step.name);
    return undefined;
  };
  let conditions: Condition = group("AND", []);
  if (step.when !== undefined) {
    const parsed = parse(step.when);
    if (!parsed.ok) return skip([...path, "when"], parsed.error.message, parsed.error.span);
    const compiled = toCondition(parsed.node, fields);
    if (!compiled.ok) return skip([...path, "when"], compiled.reason, compiled.span);
    reportApproximations(ctx, [...path, "when"], compiled.approximations);
    conditions =
      compiled.condition.kind === "group" && compiled.condition.condition === "AND"
        ? compiled.condition
        : group("AND", [compiled.condition]);
  }
  if (step.action === "remove_record")
    return skip(
      [...path, "action"],
      "CluedIn rules cannot drop a record (the nearest, tagging it, would keep it in golden records)",
    );
  if (step.field === undefined || fields.type(step.field) === undefined)
    return skip([...path, "field"], `field ${step.field ?? "(none)"} is not a field of the entity`);
  const actions =
    step.action === "clear" ? [deleteValue(fields, step.field)] : setActions(step, path, fields, ctx);
  if (typeof actions === "string") return skip([...path, "value"], actions);
  if (!Array.isArray(actions)) return skip([...path, "value"], actions.reason, actions.span);
  return { name: step.name, order: 0, isActive: true, conditions, actions };
}

function mentions(step: CleaningStep, field: string): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9_.])${field}($|[^A-Za-z0-9_])`);
  return step.field === field || word.test(step.when ?? "") || word.test(step.value ?? "");
}

const deleteValue = (fields: FieldContext, field: string) =>
  action("deleteValue", { FieldName: fields.key(field) });

function setActions(
  step: CleaningStep,
  path: NodePath,
  fields: FieldContext,
  ctx: CompileContext,
): RuleAction[] | string | { reason: string; span: Node["span"] } {
  const field = step.field!;
  const parsed = parse(step.value ?? "");
  if (!parsed.ok) return parsed.error.message;
  const node = parsed.node;
  if (node.kind === "literal") {
    if (node.value === null) return [deleteValue(fields, field)];
    if (typeof node.value !== "object")
      return [action("setValue", { FieldName: fields.key(field), Value: String(node.value) })];
  }
  const translated = toPowerFx(node, fields);
  if (!translated.ok) return { reason: translated.reason, span: translated.span };
  for (const message of translated.approximations)
    ctx.approximated([...path, "value"], message, { span: node.span });
  return [action("formula", { Expression: setFormula(fields, field, translated.fx, translated.fields) })];
}

/** `SetVocabularyKeyValue(Entity, "<key>", If(IsBlank(<each field read>), Blank(), <value>))`: null in, null out. */
function setFormula(fields: FieldContext, field: string, fx: Fx, reads: string[]): string {
  const blanks = reads.map((f) => call("IsBlank", readField(fields, f)));
  const guard = blanks.length === 0 ? undefined : blanks.length === 1 ? blanks[0]! : call("Or", ...blanks);
  const value = guard ? call("If", guard, call("Blank"), fx) : fx;
  return printFx(
    call("SetVocabularyKeyValue", { t: "ident", name: "Entity" }, str(fields.key(field)), value),
  );
}

/** A DataPart rule clue wrote → `config/cleaning/<project>.yaml`; undefined when its shape is not clue's. */
export function importCleaning(
  rule: RuleObject,
  entityOf: (code: string) => Entity | undefined,
  unsupported: string[],
): ImportedFile | undefined {
  const scope = rule.body.condition;
  const entity = scopedEntity(scope, entityOf);
  if (!entity) {
    unsupported.push(`rule DataPart/${rule.body.name}: its filter is not one entity type clue defines`);
    return undefined;
  }
  const fields = fieldContext(entity);
  const fieldOfKey = (key: string) => fieldOfKeyIn(entity, key);
  const steps: CleaningStep[] = [];
  for (const child of [...rule.body.rules].sort((a, b) => a.order - b.order)) {
    const step = importStep(child, fields, fieldOfKey);
    if (step) steps.push(step);
    else
      unsupported.push(
        `rule DataPart/${rule.body.name}, child rule "${child.name}": not a step clue can write`,
      );
  }
  if (steps.length === 0) {
    unsupported.push(`rule DataPart/${rule.body.name}: no child rule is a step clue can write`);
    return undefined;
  }
  const spec = {
    project: rule.body.name,
    entity: entity.entity,
    ...(rule.body.description ? { description: rule.body.description } : {}),
    steps,
  };
  return { path: `config/cleaning/${fileName(rule.body.name)}.yaml`, text: yamlText(spec) };
}

export function fieldOfKeyIn(entity: Entity, key: string): string | undefined {
  const prefix = `${entity.entity.toLowerCase()}.`;
  const field = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
  return field !== undefined && Object.hasOwn(entity.fields, field) ? field : undefined;
}

function importStep(
  child: ChildRule,
  fields: FieldContext,
  fieldOfKey: (key: string) => string | undefined,
): CleaningStep | undefined {
  const when =
    child.conditions.kind === "group" && child.conditions.rules.length === 0
      ? null
      : fromCondition(child.conditions, fieldOfKey);
  if (when === undefined || child.actions.length !== 1) return undefined;
  const base = { name: child.name, ...(when === null ? {} : { when }) };
  const a = child.actions[0]!;
  const kind = actionKey(a);
  const field = fieldOfKey(a.properties.FieldName ?? "");
  if (kind === "deleteValue" && field) return { ...base, action: "clear", field };
  if (kind === "setValue" && field)
    return { ...base, action: "set", field, value: constant(a.properties.Value ?? "", fields.type(field)) };
  if (kind === "formula") return importFormula(a.properties.Expression ?? "", base, fieldOfKey);
  return undefined;
}

function constant(value: string, type: string | undefined): string {
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(value)) return value;
  if (type === "boolean" && (value === "true" || value === "false")) return value;
  return clueLiteral(value);
}

function importFormula(
  text: string,
  base: Pick<CleaningStep, "name" | "when">,
  fieldOfKey: (key: string) => string | undefined,
): CleaningStep | undefined {
  const fx = parseFx(text);
  if (fx?.t !== "call" || fx.name !== "SetVocabularyKeyValue" || fx.args.length !== 3) return undefined;
  const [, key, value] = fx.args as [Fx, Fx, Fx];
  const field = key.t === "str" ? fieldOfKey(key.value) : undefined;
  const unguarded =
    value.t === "call" && value.name === "If" && value.args.length === 3 ? value.args[2]! : value;
  const clue = fromPowerFx(unguarded, fieldOfKey);
  return field && clue ? { ...base, action: "set", field, value: clue } : undefined;
}
