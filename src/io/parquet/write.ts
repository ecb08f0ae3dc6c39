/**
 * Rows out as a Parquet file, one row group at a time: rows are encoded into column arrays as they come, and every
 * {@link ROW_GROUP_ROWS} rows those arrays are written as a row group and dropped, so memory holds one row group
 * whatever the output's length. The file is an OutputFile: it appears whole when the run commits it, or not at all.
 */
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { openOutputFile, type OutputFile } from "../output-file.js";
import { compressSnappy } from "./codecs.js";
import { parquetSchema, type Column } from "./columns.js";
import { encoderOf, ValueMismatch, type Encode } from "./encode.js";
import { ParquetOutputError } from "./output-error.js";

/** Rows per row group: DuckDB's default is 122,880, Spark's about 128 MB; 64Ki keeps a wide row's group small. */
export const ROW_GROUP_ROWS = 65_536;

export interface RowWriter {
  write(row: Readonly<Record<string, unknown>>): void;
  /** Writes what is buffered and the footer, and puts the output in place. */
  commit(): void;
  /** Drops the output: the path is left as it was. Safe at any time. */
  abort(): void;
}

export interface ParquetWriteOptions {
  rowGroupRows?: number;
}

/** The part of a file writer a partitioned folder drives: rows in, row groups out when told. */
export interface PartWriter {
  /** Encodes a row into the buffered row group. */
  push(row: Readonly<Record<string, unknown>>): void;
  /** Rows buffered since the last row group. */
  readonly buffered: number;
  /** Writes the buffered rows as a row group. */
  flush(): void;
  commit(): void;
  abort(): void;
}

/** A Parquet file at `path` with these columns, written by row group. */
export function openParquetFile(
  path: string,
  columns: readonly Column[],
  options: ParquetWriteOptions = {},
): RowWriter {
  const groupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
  const part = openPart(path, columns, rowError(path), { rows: 0 });
  return {
    write(row) {
      part.push(row);
      if (part.buffered >= groupRows) part.flush();
    },
    commit: () => part.commit(),
    abort: () => part.abort(),
  };
}

/** The error for a row that does not fit its columns; `row` counts the rows offered to the output, from 1. */
export type RowError = (row: number, column: string, why: string) => ParquetOutputError;

export function rowError(output: string): RowError {
  return (row, column, why) =>
    new ParquetOutputError(
      `cannot write ${output}: row ${row} (line ${row} of the same stage written as JSON Lines): ` +
        `${column === "" ? "" : `column ${column} `}${why}. A Parquet column holds one type: make the value fit in ` +
        `cleaning (to_date(), to_number(), ...) or write this stage as JSON Lines.`,
    );
}

/** One file's writer; `counter` numbers the rows offered to the whole output (a partitioned folder has several). */
export function openPart(
  path: string,
  columns: readonly Column[],
  error: RowError,
  counter: { rows: number },
): PartWriter {
  const file = openOutputFile(path);
  const writer = new FileWriter(file);
  let parquet: ParquetWriter;
  try {
    parquet = new ParquetWriter({
      writer,
      schema: parquetSchema(columns),
      codec: "SNAPPY",
      compressors: { SNAPPY: compressSnappy },
      createdBy: "clue",
    });
  } catch (error) {
    file.abort();
    throw error;
  }
  const encoders: [string, Encode][] = columns.map((c) => [c.name, encoderOf(c.type)]);
  const known = new Set(columns.map((c) => c.name));
  let data: unknown[][] = columns.map(() => []);
  let buffered = 0;
  return {
    push(row) {
      const n = ++counter.rows;
      // A field the columns lack would be lost without a word.
      for (const key in row)
        if (!known.has(key))
          throw error(n, "", `has a field ${key} that is not one of the columns (${[...known].join(", ")})`);
      // Encoded into locals first, so a row that fails leaves the buffered group as it was.
      const values = new Array<unknown>(encoders.length);
      for (let c = 0; c < encoders.length; c++) {
        const [column, encode] = encoders[c] as [string, Encode];
        try {
          values[c] = encode(row[column]);
        } catch (e) {
          if (e instanceof ValueMismatch) throw error(n, column, e.message);
          throw e;
        }
      }
      for (let c = 0; c < values.length; c++) (data[c] as unknown[]).push(values[c]);
      buffered++;
    },
    get buffered() {
      return buffered;
    },
    flush() {
      if (buffered === 0) return;
      void parquet.write({
        columnData: columns.map((c, i) => ({ name: c.name, data: data[i] as unknown[] })),
        rowGroupSize: buffered,
      });
      data = columns.map(() => []);
      buffered = 0;
    },
    commit() {
      this.flush();
      void parquet.finish();
      file.commit();
    },
    abort: () => file.abort(),
  };
}

/**
 * hyparquet-writer's byte buffer, emptied into the output file after each row group (the writer calls `flush`
 * then) instead of growing to the size of the file.
 */
class FileWriter extends ByteWriter {
  constructor(private readonly file: OutputFile) {
    super(1 << 20);
  }

  flush(): void {
    this.file.writeBytes(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}
