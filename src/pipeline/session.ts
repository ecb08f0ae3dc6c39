import type { Project } from "../config/project.js";
import type { SourceFile } from "../config/source-file.js";
import { resourcesOf } from "../config/project.js";
import type { CallContext } from "../expr/function-def.js";
import { textOf, type Value } from "../expr/types.js";
import { parseCsv, type CsvDialect } from "../io/csv.js";
import type { SourceFormat } from "../io/records.js";
import { indexProject } from "../lint/project-index.js";
import type { Check } from "../types/generated/validation.js";
import type { CheckContext } from "./checks.js";
import { compileSource, type SourcePipeline } from "./compile-pipeline.js";
import { createSeenSet, type SeenSet } from "./seen-set.js";
import { runPipeline, type RunInput, type SourceRecord } from "./run.js";

export interface InputRequest {
  source: string;
  entity?: string | undefined;
  /**
   * Opens the records. Called a second time, with `prepass`, when another entity's validation refers to this
   * input's values (dead letters are then not reported twice); `format` and `csv` are the mapping's, when it names
   * them.
   */
  open(options: OpenOptions): AsyncIterable<SourceRecord> | Iterable<SourceRecord>;
}

export interface OpenOptions {
  prepass: boolean;
  format: SourceFormat | undefined;
  csv: CsvDialect;
  /**
   * Plain JSON Lines records may come as their text, unparsed (ReadOptions.plainText): asked by the DuckDB engine,
   * which reads values from the text; an opener may ignore it and give parsed records.
   */
  plainText?: boolean;
}

type Table = { columns: string[]; rows: Record<string, unknown>[] };

/** A prepared run, and what a worker thread needs to compile the same pipelines (see src/parallel/). */
export interface PreparedRun {
  inputs: RunInput[];
  /** The values `reference` checks against another entity accept, read in the pre-pass: `Entity.field` → values. */
  entityValues: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Assembles a run: reference tables from config/reference/, one compiled pipeline per input, and the values that
 * `reference` checks against another entity need (read in a first pass over that entity's inputs).
 */
export async function prepareRun(project: Project, requests: readonly InputRequest[]): Promise<RunInput[]> {
  return (await prepareRunWith(project, requests)).inputs;
}

/** prepareRun, with the pre-pass's values kept for worker threads. */
export async function prepareRunWith(
  project: Project,
  requests: readonly InputRequest[],
): Promise<PreparedRun> {
  const index = indexProject(project);
  const tables = loadReferenceTables(project.otherFiles);
  const context = lookupContext(tables);
  const entityValues = new Map<string, Set<string>>();
  // Each input's entity, read off its mapping (an unknown or ambiguous source is reported by compileSource below);
  // the pre-pass then fills entityValues for `reference` checks before the real pipelines are compiled.
  const probe: CheckContext = { referenceValues: () => new Set() };
  const entities = requests.map((r) => {
    const mappings = (index.sources.get(r.source) ?? []).filter(
      (m) => r.entity === undefined || m.spec.entity === r.entity,
    );
    return mappings.length === 1 ? mappings[0]?.spec.entity : undefined;
  });
  const wanted = new Set(
    resourcesOf(project, "validation")
      .map((v) => v.spec.check.reference)
      .filter(
        (ref): ref is NonNullable<Check["reference"]> => ref?.entity !== undefined && ref.field !== undefined,
      )
      .map((ref) => `${ref.entity}.${ref.field}`),
  );
  for (const key of wanted) {
    const [entity = "", field = ""] = key.split(".");
    const inputs = requests.filter((_, i) => entities[i] === entity);
    if (inputs.length === 0) continue;
    const values = new Set<string>();
    const pre = inputs.map((r) => {
      const pipeline = compileSource(project, index, r.source, r.entity, { context, checks: probe });
      return { pipeline, records: r.open({ prepass: true, format: pipeline.format, csv: pipeline.csv }) };
    });
    await runPipeline(pre, {
      stage: "cleaned",
      emit: (row) => {
        const v = row[field];
        if (v !== null && v !== undefined) values.add(textOf(v));
      },
    });
    entityValues.set(key, values);
  }
  const inputs = requests.map((r) => {
    const seenSets: SeenSet[] = [];
    const seenSet = () => {
      const set = createSeenSet();
      seenSets.push(set);
      return set;
    };
    const pipeline = compileSource(project, index, r.source, r.entity, {
      context,
      checks: { ...checkContext(tables, entityValues), seenSet },
    });
    return {
      pipeline,
      records: r.open({ prepass: false, format: pipeline.format, csv: pipeline.csv }),
      seenSets,
    };
  });
  return { inputs, entityValues };
}

/**
 * Compiles one source's pipeline as prepareRun does, from the pre-pass's values: what a worker thread runs. `seenSet`
 * gives the `unique` checks their sets of seen values.
 */
export function compileRunSource(
  project: Project,
  source: string,
  entity: string | undefined,
  entityValues: ReadonlyMap<string, ReadonlySet<string>>,
  seenSet: () => SeenSet,
): SourcePipeline {
  const tables = loadReferenceTables(project.otherFiles);
  return compileSource(project, indexProject(project), source, entity, {
    context: lookupContext(tables),
    checks: { ...checkContext(tables, entityValues), seenSet },
  });
}

/** What `reference` checks accept: a reference table's column, or another entity's values from the pre-pass. */
function checkContext(
  tables: ReadonlyMap<string, Table>,
  entityValues: ReadonlyMap<string, ReadonlySet<string>>,
): CheckContext {
  return {
    referenceValues: (ref) => {
      if (ref.table !== undefined) {
        const table = tables.get(ref.table);
        if (!table) return undefined;
        const column = ref.column ?? table.columns[0] ?? "";
        return new Set(table.rows.map((row) => textOf(row[column])));
      }
      return entityValues.get(`${ref.entity}.${ref.field}`);
    },
  };
}

/**
 * The lookup() context of a project: its reference tables under config/reference/, from the text read with the
 * project (only regular files inside it are opened; a file that was not readable UTF-8 has no table).
 */
export function projectContext(project: Project): CallContext {
  return lookupContext(loadReferenceTables(project.otherFiles));
}

function loadReferenceTables(files: readonly SourceFile[]): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const file of files) {
    const match = /^config\/reference\/([^/]+)\.csv$/.exec(file.path);
    if (!match) continue;
    const rows = [...parseCsv([file.text], { path: file.path })].map((r) => r.record);
    tables.set(match[1] as string, { columns: Object.keys(rows[0] ?? {}), rows });
  }
  return tables;
}

/**
 * lookup(table, key[, column]): the row whose first column is `key`; the column asked for, else the second.
 * table(name): the whole table, for functions that index it themselves.
 */
function lookupContext(tables: ReadonlyMap<string, Table>): CallContext {
  const indexes = new Map<string, Map<string, Record<string, unknown>>>();
  return {
    lookup(table, key, column) {
      const t = tables.get(table);
      if (!t) return null;
      let byKey = indexes.get(table);
      if (!byKey) {
        const first = t.columns[0] ?? "";
        byKey = new Map(t.rows.map((row) => [textOf(row[first]), row]));
        indexes.set(table, byKey);
      }
      const row = byKey.get(key);
      const name = column ?? t.columns[1] ?? t.columns[0] ?? "";
      return row && Object.hasOwn(row, name) ? ((row[name] ?? null) as Value) : null;
    },
    table: (name) => tables.get(name),
  };
}
