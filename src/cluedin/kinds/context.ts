/** What every kind's compiler is given: the entities it refers to and a way to report, located in the config. */
import { stringify } from "yaml";
import type { NodePath } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../expr/ast.js";
import type { Entity } from "../../types/index.js";
import type { Approximation } from "../conditions.js";
import type { ChildRule, Condition, RuleObject, RuleScope } from "../model.js";
import type { FieldContext } from "../powerfx.js";

export interface Report {
  /** At `path`; with `span`, at those characters of the expression string there. */
  (path: NodePath, message: string, options?: { span?: Span; hint?: string; error?: boolean }): void;
}

export interface CompileContext {
  entity(name: string): Entity | undefined;
  unsupported: Report;
  approximated: Report;
}

/** The entity a resource is about; a resource about an undefined one is not deployed (lint reports it too). */
export function entityOrReport(name: string, ctx: CompileContext): Entity | undefined {
  const entity = ctx.entity(name);
  if (!entity) ctx.unsupported(["entity"], `Not deployed: entity ${name} is not defined.`, { error: true });
  return entity;
}

/** The entity a condition scopes to when it is exactly `EntityType Equals /<Entity>` (in an AND group). */
export function scopedEntity(
  scope: Condition,
  entityOf: (code: string) => Entity | undefined,
): Entity | undefined {
  const only = scope.kind === "group" && scope.rules.length === 1 ? scope.rules[0] : undefined;
  return only?.kind === "leaf" && only.field === "EntityType" ? entityOf(only.value[0] ?? "") : undefined;
}

/** `person`: an entity's vocabulary key prefix (lower-case entity name, per the design). */
export const prefixOf = (entity: string): string => entity.toLowerCase();

export function fieldContext(entity: Entity): FieldContext {
  const prefix = prefixOf(entity.entity);
  return {
    key: (field) => `${prefix}.${field}`,
    type: (field) => (Object.hasOwn(entity.fields, field) ? entity.fields[field]!.type : undefined),
  };
}

export function reportApproximations(
  ctx: CompileContext,
  path: NodePath,
  list: readonly Approximation[],
): void {
  for (const a of list) ctx.approximated(path, a.message, { span: a.span });
}

/** A file of the repository layout that import writes. */
export interface ImportedFile {
  path: string;
  text: string;
}

/** A resource name as a file name: what is safe on every file system, the rest replaced by `-`. */
export function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^\.+/, "") || "unnamed";
}

/** A resource as YAML, headed by a comment saying where it came from. */
export function yamlText(value: Record<string, unknown>, note?: string): string {
  const header = ["# Imported from CluedIn by `clue import`.", ...(note ? [`# ${note}`] : [])].join("\n");
  return `${header}\n${stringify(value, { lineWidth: 0 })}`;
}

/** An active rule of a scope, keyed `<scope>/<name>` (clue keeps rule names unique per scope). */
export function ruleObject(
  scope: RuleScope,
  name: string,
  description: string,
  condition: Condition,
  rules: ChildRule[],
): RuleObject {
  return {
    type: "rule",
    key: `${scope}/${name}`,
    body: { name, scope, isActive: true, description, condition, rules },
  };
}
