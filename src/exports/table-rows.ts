import type { Value } from "../expr/types.js";
import { textOf } from "../expr/types.js";
import type { GoldenRecord } from "../golden/golden.js";
import type { Contract, Export } from "../types/index.js";
import { maskValue, type MaskAction } from "./masking.js";

export interface RenderedRows {
  rows: Record<string, Value>[];
  /** Rows that break the export's contract or primary key: a rendered row like that is an error. */
  problems: string[];
}

/**
 * The `export:NAME` stage for table and file exports: one row per golden record of the mapped entity, with only the
 * mapped columns (`column: Entity.field`), masked as the export's `mask` says, checked against the bound contract's column types and nullability, and
 * for a unique primary key.
 */
export function renderTableRows(
  spec: Export,
  golden: readonly GoldenRecord[],
  contract: Contract | undefined,
): RenderedRows {
  const columns = Object.entries(spec.mapping ?? {}).map(([column, ref]) => {
    const [entity = "", field = ""] = ref.split(".");
    return { column, entity, field };
  });
  const entities = new Set(columns.map((c) => c.entity));
  const primaryKey = contract
    ? [contract.primary_key].flat()
    : ((spec.options as { primary_key?: string[] }).primary_key ?? []);
  const mask = (spec.mask ?? {}) as Record<string, MaskAction>;
  const rows: Record<string, Value>[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const record of golden) {
    if (!entities.has(record.entityType)) continue;
    const row: Record<string, Value> = {};
    for (const { column, entity, field } of columns) {
      const value = entity === record.entityType ? (record.attributes[field]?.value ?? null) : null;
      row[column] = maskValue(value, mask[field]);
    }
    const where = `row ${rows.length + 1} (${record.entityId})`;
    if (contract) checkContractRow(row, contract, where, problems);
    if (primaryKey.length > 0) {
      const key = primaryKey.map((c) => textOf(row[c] ?? null)).join("\u0000");
      if (primaryKey.some((c) => (row[c] ?? null) === null))
        problems.push(`${where}: primary key ${primaryKey.join(", ")} is null`);
      else if (seen.has(key))
        problems.push(`${where}: primary key ${primaryKey.join(", ")} repeats row ${String(seen.get(key))}`);
      else seen.set(key, rows.length + 1);
    }
    rows.push(row);
  }
  return { rows, problems };
}

/** Checks one published row against its contract's column types and nullability, adding a line per breach. */
export function checkContractRow(
  row: Record<string, Value>,
  contract: Contract,
  where: string,
  problems: string[],
): void {
  for (const [column, def] of Object.entries(contract.columns ?? {})) {
    const value = row[column] ?? null;
    if (value === null) {
      if (def.nullable === false)
        problems.push(
          `${where}: column ${column} is null, but contract ${contract.name} says it is not nullable`,
        );
      continue;
    }
    if (!fitsType(value, def.type))
      problems.push(
        `${where}: column ${column} holds ${JSON.stringify(value)}, not a ${def.type} (contract ${contract.name})`,
      );
  }
}

/** What a date and a datetime look like to a contract check; `clue types` publishes the same patterns. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

function fitsType(value: Value, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return typeof value === "string" && DATE_PATTERN.test(value);
    case "datetime":
      return typeof value === "string" && DATETIME_PATTERN.test(value);
    default:
      return true;
  }
}
