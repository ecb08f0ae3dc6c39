/**
 * The columns of a Parquet file clue writes: clue's field types, lists and structs, and the Parquet schema they
 * become. Every column is nullable: a record's field may be null whatever its type.
 *
 * | clue type | Parquet physical type | logical type                        | DuckDB / Spark reads |
 * | --------- | --------------------- | ----------------------------------- | -------------------- |
 * | string    | BYTE_ARRAY            | STRING                              | VARCHAR / string     |
 * | number    | DOUBLE                |                                     | DOUBLE / double      |
 * | integer   | INT64                 |                                     | BIGINT / bigint      |
 * | boolean   | BOOLEAN               |                                     | BOOLEAN / boolean    |
 * | date      | INT32                 | DATE                                | DATE / date          |
 * | datetime  | INT64                 | TIMESTAMP (microseconds, UTC)       | TIMESTAMPTZ / timestamp |
 * | list      | group                 | LIST (three-level, `list.element`)  | T[] / array          |
 * | struct    | group                 |                                     | STRUCT / struct      |
 */
import type { SchemaElement } from "hyparquet";

export type ScalarType = "string" | "number" | "integer" | "boolean" | "date" | "datetime";
export type ColumnType = ScalarType | { list: ColumnType } | { struct: readonly Column[] };

export interface Column {
  name: string;
  type: ColumnType;
}

/** The schema hyparquet-writer takes: the root, then every column's elements depth first. */
export function parquetSchema(columns: readonly Column[]): SchemaElement[] {
  const elements: SchemaElement[] = [{ name: "root", num_children: columns.length }];
  for (const column of columns) elements.push(...elementsOf(column.name, column.type));
  return elements;
}

function elementsOf(name: string, type: ColumnType): SchemaElement[] {
  if (typeof type === "string") return [{ ...SCALARS[type], name, repetition_type: "OPTIONAL" }];
  if ("list" in type)
    return [
      {
        name,
        repetition_type: "OPTIONAL",
        num_children: 1,
        converted_type: "LIST",
        logical_type: { type: "LIST" },
      },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      ...elementsOf("element", type.list),
    ];
  return [
    { name, repetition_type: "OPTIONAL", num_children: type.struct.length },
    ...type.struct.flatMap((c) => elementsOf(c.name, c.type)),
  ];
}

// hyparquet-writer 0.17 writes the INTEGER logical type with a field type DuckDB rejects ("TProtocolException:
// Invalid data"), so integers go without one: a bare INT64 is a signed 64-bit integer to every reader.
const SCALARS: Record<ScalarType, Omit<SchemaElement, "name">> = {
  string: { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } },
  number: { type: "DOUBLE" },
  integer: { type: "INT64" },
  boolean: { type: "BOOLEAN" },
  date: { type: "INT32", converted_type: "DATE", logical_type: { type: "DATE" } },
  datetime: {
    type: "INT64",
    converted_type: "TIMESTAMP_MICROS",
    logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
  },
};

/** `integer`, `list of string`, `struct`: how a message names a column's type. */
export function typeName(type: ColumnType): string {
  if (typeof type === "string") return type;
  return "list" in type ? `list of ${typeName(type.list)}` : "struct";
}
