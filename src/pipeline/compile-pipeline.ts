import type { Project, Resource } from "../config/project.js";
import { resourcesOf } from "../config/project.js";
import type { CsvDialect } from "../io/csv.js";
import type { SourceFormat } from "../io/records.js";
import { compileExpression } from "../expr/expression.js";
import type { CallContext } from "../expr/function-def.js";
import { functions } from "../expr/functions/index.js";
import type { Evaluator } from "../expr/compile.js";
import type { ProjectIndex } from "../lint/project-index.js";
import type { EntityField } from "../types/index.js";
import type { Check } from "../types/generated/validation.js";
import { checks, type CheckContext } from "./checks.js";
import type { CompiledStep } from "./cleaning.js";
import { compileMapping, type EntityRecord } from "./mapping.js";
import { PipelineError } from "./pipeline-error.js";
import { fieldScope } from "./scope.js";
import type { CompiledValidation } from "./validation.js";

/** A source's way through the pipeline: its mapping, then its entity's cleaning steps and validations. */
export interface SourcePipeline {
  source: string;
  entity: string;
  fields: Record<string, EntityField>;
  /** The format the mapping names for its source's files, if any. */
  format: SourceFormat | undefined;
  /** How the mapping says its CSV files are written. */
  csv: CsvDialect;
  /** The field that identifies a record in diffs and messages. */
  idField: string | undefined;
  map(raw: Readonly<Record<string, unknown>>): EntityRecord;
  steps: CompiledStep[];
  validations: CompiledValidation[];
}

// Its own file so that checks.ts can throw it too; importers of this module keep finding it here.
export { PipelineError } from "./pipeline-error.js";

export interface PipelineOptions {
  context: CallContext;
  checks: CheckContext;
}

/** Compiles what one source needs. The project must have validated clean (expressions are checked there). */
export function compileSource(
  project: Project,
  index: ProjectIndex,
  source: string,
  entity: string | undefined,
  options: PipelineOptions,
): SourcePipeline {
  const { mapping, fields } = mappingOf(index, source, entity);
  const entityName = mapping.spec.entity;
  const scope = { fields: fieldScope(fields), functions, context: options.context };
  const expr = (text: string, where: string): Evaluator => {
    const result = compileExpression(text, scope);
    if (!result.ok)
      throw new PipelineError(
        `${where}: ${result.errors[0]?.message ?? "invalid expression"} (run clue validate)`,
      );
    return result.expression.evaluate;
  };

  const steps: CompiledStep[] = [];
  for (const project_ of resourcesOf(project, "cleaning").filter((c) => c.spec.entity === entityName)) {
    for (const step of project_.spec.steps) {
      const where = `cleaning ${project_.name}, step ${step.name}`;
      steps.push({
        project: project_.name,
        name: step.name,
        action: step.action,
        field: step.field,
        when: step.when === undefined ? undefined : expr(step.when, where),
        value: step.value === undefined ? undefined : expr(step.value, where),
        reason: step.reason,
      });
    }
  }

  const validations: CompiledValidation[] = resourcesOf(project, "validation")
    .filter((v) => v.spec.entity === entityName)
    .map((v) => {
      const spec = v.spec;
      const name = Object.keys(spec.check)[0] as keyof Check;
      const base = {
        rule: spec.rule,
        field: spec.field,
        severity: spec.severity ?? "medium",
        action: spec.on_fail?.action ?? "flag",
        maxFailRatio: spec.threshold?.max_fail_ratio,
      };
      if (name === "expr") {
        const test = expr(spec.check.expr as string, `validation ${spec.rule}`);
        // A condition that is unknown (null) passes, like a null value does.
        return {
          ...base,
          checksNull: true,
          test: (_v, record) => test(record) !== false,
          skipped: undefined,
        };
      }
      const def = checks[name];
      const skipped =
        name === "reference" &&
        !options.checks.referenceValues(spec.check.reference as NonNullable<Check["reference"]>)
          ? `the referenced ${describeReference(spec.check.reference as NonNullable<Check["reference"]>)} is not part of this run`
          : undefined;
      return { ...base, checksNull: def.checksNull, test: def.compile(spec.check, options.checks), skipped };
    });

  const idField = idFieldOf(fields);
  return {
    source,
    entity: entityName,
    fields,
    format: mapping.spec.format,
    csv: {
      ...(mapping.spec.csv?.delimiter !== undefined ? { delimiter: mapping.spec.csv.delimiter } : {}),
      ...(mapping.spec.csv?.skip_initial_space ? { skipInitialSpace: true } : {}),
    },
    idField,
    map: compileMapping(mapping.spec, fields),
    steps,
    validations,
  };
}

/** The field that names a record in diffs and messages: `id`, else the first required field. */
export function idFieldOf(fields: Record<string, EntityField>): string | undefined {
  return Object.hasOwn(fields, "id") ? "id" : Object.entries(fields).find(([, f]) => f.required)?.[0];
}

/**
 * The mapping that reads a source (onto `entity`, when given) and its entity's fields; a usage PipelineError when
 * no mapping or several do.
 */
export function mappingOf(
  index: ProjectIndex,
  source: string,
  entity: string | undefined,
): { mapping: Resource<"mapping">; fields: Record<string, EntityField> } {
  const candidates = (index.sources.get(source) ?? []).filter(
    (m) => entity === undefined || m.spec.entity === entity,
  );
  if (candidates.length === 0) {
    const known = [...index.sources.keys()].join(", ");
    throw new PipelineError(
      entity === undefined
        ? `no mapping reads a source named "${source}" (sources: ${known || "none"})`
        : `source "${source}" is not mapped onto ${entity}`,
      true,
    );
  }
  if (candidates.length > 1) {
    const entities = candidates.map((m) => m.spec.entity).join(" and ");
    throw new PipelineError(
      `source "${source}" maps onto ${entities}: say which with --entity (or \`entity:\` in a test)`,
      true,
    );
  }
  const mapping = candidates[0] as Resource<"mapping">;
  const fields = index.fieldsOf(mapping.spec.entity);
  if (!fields) throw new PipelineError(`entity "${mapping.spec.entity}" is not defined or is not valid`);
  return { mapping, fields };
}

function describeReference(ref: NonNullable<Check["reference"]>): string {
  return ref.table !== undefined ? `table ${ref.table}` : `field ${ref.entity}.${ref.field}`;
}
