import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import type { Project, Resource } from "../config/project.js";
import { resourcesOf } from "../config/project.js";
import { writeOutputFile } from "../io/output-file.js";
import { clashingFile } from "../io/output-path.js";
import { readRecords } from "../io/records.js";
import { idFieldOf, mappingOf, PipelineError } from "../pipeline/compile-pipeline.js";
import { ExportProblems, isEngineProblem } from "../engine/engines.js";
import { runSqlStage } from "../engine/run-sql.js";
import { SqlUnsupported } from "../engine/sql/expr.js";
import type { EngineName } from "../engine/sql/plan.js";
import { indexProject } from "../lint/project-index.js";
import type { EntityField } from "../types/index.js";
import { breachedRules, dqTable } from "../pipeline/dq-report.js";
import { runPipeline, STAGES, type OutputRow, type RunStats, type Stage } from "../pipeline/run.js";
import { textOf } from "../expr/types.js";
import { outsideProject } from "../util/paths.js";
import { prepareRunWith } from "../pipeline/session.js";
import { collectInWorkers } from "../parallel/collect.js";
import { threadable, workerThreads, type ThreadsChoice } from "../parallel/threads.js";
import { testInputRequest, testInputs, type TestInput } from "./test-inputs.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import { isLaterStage, renderLaterStage } from "../matching/later-stages.js";
import { exportName } from "../exports/export-stage.js";
import { EventStateError, readEventState } from "../exports/event-state.js";
import { compareRows, renderDifferences, type Difference } from "./compare.js";

export type TestStatus = "passed" | "failed" | "updated" | "skipped" | "error";

export interface TestResult {
  name: string;
  file: string;
  status: TestStatus;
  /** Lines explaining a failure, an error or a skip. */
  details: string[];
  differences: Difference[];
  dq: string[];
  seconds: number;
}

export interface TestOptions {
  update: boolean;
  showPii: boolean;
  names: readonly string[];
  /** The engine that runs the tests' pipelines (default: js). */
  engine?: EngineName;
  /** Worker threads for tests whose inputs are files (see src/parallel/threads.ts); one thread without. */
  threads?: ThreadsChoice;
}

/** Runs the golden tests of a project (SPEC section 3): each test's input through the pipeline, compared with its expectation. */
export async function runTests(project: Project, root: string, options: TestOptions): Promise<TestResult[]> {
  const tests = resourcesOf(project, "test").filter(
    (t) => options.names.length === 0 || options.names.includes(t.name),
  );
  const results: TestResult[] = [];
  for (const test of tests) results.push(await runOne(project, root, test, options));
  return results;
}

async function runOne(
  project: Project,
  root: string,
  test: Resource<"test">,
  options: TestOptions,
): Promise<TestResult> {
  const started = performance.now();
  const engine = options.engine ?? "js";
  const result: TestResult = {
    name: test.name,
    file: test.doc.file.path,
    status: "passed",
    details: [],
    differences: [],
    dq: [],
    seconds: 0,
  };
  const finish = (status: TestStatus, details: string[] = []) => {
    result.status = status;
    result.details.push(...details);
    result.seconds = (performance.now() - started) / 1000;
    return result;
  };
  const spec = test.spec;
  const dir = posix.dirname(test.doc.file.path);
  const inputs = testInputs(spec);
  for (const path of [...inputs.map((i) => i.input), spec.expect.file, spec.state]) {
    if (path !== undefined && outsideProject(posix.join(dir, path))) {
      return finish("error", [`${path} is outside the project; tests read and write only files inside it`]);
    }
  }
  const requested = spec.expect.stage;
  const matching = isLaterStage(requested);
  const stage = (matching ? "validated" : requested) as Stage;
  if (!STAGES.includes(stage)) return finish("error", [`unknown stage ${spec.expect.stage}`]);
  if (spec.state !== undefined && !requested.startsWith("events:"))
    return finish("error", ["state: applies to events: stages only; remove it or expect an events: stage"]);
  if (spec.also !== undefined && !matching)
    return finish("error", [
      "also: sources meet in dedup; expect a matches, golden, export: or events: stage, or move them to a test of their own",
    ]);
  const deadLetters: string[] = [];
  const rows: unknown[] = [];
  let idField: string | undefined;
  let pii = new Set<string>();
  let removed: RunStats["removed"] = [];
  try {
    const requests = inputs.map((input) =>
      testInputRequest(root, dir, input, (line) =>
        deadLetters.push(`${input.input ?? input.source} line ${line}`),
      ),
    );
    // A record the pipeline rejects (a number it cannot hold as written) is reported like one that cannot be parsed.
    const rejected = (input: TestInput | undefined, source: string, line: number) =>
      deadLetters.push(`${input?.input ?? source} line ${line}`);
    // A fixed clock and correlation id: a golden file of events must not change from run to run.
    const events = {
      now: new Date(0),
      correlationId: `clue-test:${test.name}`,
      ...(spec.state !== undefined
        ? { previous: (name: string) => readEventState(join(root, posix.join(dir, spec.state ?? "")), name) }
        : {}),
    };
    let stats: RunStats;
    if (engine !== "js") {
      const index = indexProject(project);
      const mapped = inputs.map((input) => mappingOf(index, input.source, input.entity));
      const entities = new Set(mapped.map((m) => m.mapping.spec.entity));
      if (entities.size > 1)
        return finish("error", [
          `also: sources map onto ${[...entities].join(" and ")}; dedup pairs records of one entity`,
        ]);
      const fields = mapped[0]?.fields ?? {};
      idField = idFieldOf(fields);
      pii = piiOf(fields);
      const lines: string[] = [];
      try {
        const sql = await runSqlStage({
          project,
          stage: requested,
          inputs: requests.map((r, i) => {
            const file = inputs[i]?.input;
            return { ...r, path: file === undefined ? undefined : join(root, posix.join(dir, file)) };
          }),
          engine,
          write: (text) => void lines.push(text),
          onRecordError: (k, line) => rejected(inputs[k], inputs[k]?.source ?? "", line),
          events,
        });
        stats = sql.stats;
      } catch (error) {
        if (error instanceof ExportProblems) return finish("failed", error.message.split("\n"));
        if (error instanceof SqlUnsupported || isEngineProblem(error))
          return finish("error", [error.message]);
        if (error instanceof PipelineError && error.usage) return finish("error", [error.message]);
        throw error;
      }
      for (const line of lines.join("").split("\n")) if (line !== "") rows.push(JSON.parse(line) as unknown);
    } else {
      const prepared = await prepareRunWith(project, requests);
      const entities = new Set(prepared.inputs.map((p) => p.pipeline.entity));
      if (entities.size > 1)
        return finish("error", [
          `also: sources map onto ${[...entities].join(" and ")}; dedup pairs records of one entity`,
        ]);
      const pipeline = prepared.inputs[0]?.pipeline;
      idField = pipeline?.idField;
      pii = piiOf(pipeline?.fields ?? {});
      // Tests that read files may run on worker threads (see src/parallel/), with the same results.
      const files = inputs.map((i) =>
        i.input === undefined ? undefined : join(root, posix.join(dir, i.input)),
      );
      const formats =
        options.threads === undefined ? undefined : threadable(prepared.inputs, files, undefined);
      const workers =
        formats && options.threads ? workerThreads(options.threads, files as string[], matching) : 0;
      if (workers > 0) {
        const collected = await collectInWorkers(
          {
            root,
            project,
            threads: workers,
            requested,
            stage,
            matching,
            files: files.map((path, i) => ({ path: path as string, format: formats?.[i] })),
            onDeadLetter: (i, line) => {
              const input = inputs[i];
              deadLetters.push(`${input?.input ?? input?.source ?? ""} line ${line}`);
            },
            onRecordError: (i, line) => {
              const source = inputs[i]?.source ?? "";
              rejected(
                inputs.find((x) => x.source === source),
                source,
                line,
              );
            },
            later: events,
          },
          prepared,
        );
        stats = collected.stats;
        rows.push(...collected.rows);
        if (collected.later) {
          if (!collected.later.ok)
            return finish(collected.later.usage ? "error" : "failed", collected.later.messages);
          rows.push(...collected.later.rows);
        }
      } else {
        const validated: { pipeline: SourcePipeline; row: OutputRow }[] = [];
        stats = await runPipeline(prepared.inputs, {
          stage,
          emit: matching
            ? (row, p) => void validated.push({ pipeline: p, row: structuredClone(row) })
            : (row) => void rows.push(structuredClone(row)),
          onRecordError: (p, line) =>
            rejected(
              inputs.find((i) => i.source === p.source),
              p.source,
              line,
            ),
        });
        if (matching) {
          const later = renderLaterStage(project, requested, validated, events);
          if (!later.ok) return finish(later.usage ? "error" : "failed", later.messages);
          rows.push(...later.rows);
        }
      }
    }
    if (matching) {
      const exported = exportName(requested);
      if (exported !== undefined && requested.startsWith("export:")) {
        // Rows are known by their first column (the key, by convention); columns of pii fields are masked.
        const mapping = resourcesOf(project, "export").find((e) => e.name === exported)?.spec.mapping ?? {};
        const piiFields = pii;
        pii = new Set(
          Object.entries(mapping)
            .filter(([, ref]) => piiFields.has(ref.split(".")[1] ?? ""))
            .map(([column]) => column),
        );
        idField = Object.keys(mapping)[0];
      } else if (requested.startsWith("events:")) {
        // Events are compared in order; personal data sits in the event body and can be the partition key.
        idField = undefined;
        if (pii.size > 0) pii = new Set(["event", "partitionKey"]);
      } else {
        // Golden records are known by their entityId; candidate pairs have no single id.
        idField = requested === "golden" ? "entityId" : undefined;
        // Personal data sits inside a golden record's attributes: each pii field's attribute, value and provenance.
        pii = new Set([...pii].map((field) => `attributes.${field}`));
      }
    }
    if (stage === "validated") result.dq = dqTable(stats);
    const breached = breachedRules(stats);
    if (breached.length > 0) result.details.push(`over max_fail_ratio: ${breached.join(", ")}`);
    if (deadLetters.length > 0) {
      result.details.push(
        `${deadLetters.length} input records could not be read (${deadLetters.slice(0, 5).join(", ")})`,
      );
    }
    removed = stats.removed;
  } catch (error) {
    if (
      error instanceof PipelineError ||
      error instanceof EventStateError ||
      (error instanceof Error && error.name === "InputError")
    )
      return finish("error", [error.message]);
    throw error;
  }

  const expectedFile =
    spec.expect.file === undefined ? undefined : join(root, posix.join(dir, spec.expect.file));
  if (options.update && expectedFile !== undefined) {
    // The golden file is rewritten whole or not at all, and never over the data the test reads.
    const read = inputs.flatMap((i) =>
      i.input === undefined
        ? []
        : [{ path: join(root, posix.join(dir, i.input)), what: `the input ${i.input}` }],
    );
    const clash = clashingFile(expectedFile, read);
    if (clash !== undefined)
      return finish("error", [
        `expect.file ${spec.expect.file ?? ""} is ${clash.what}; --update would overwrite it`,
      ]);
    const text = rows.map((r) => `${JSON.stringify(r)}\n`).join("");
    // A golden file that already holds this output is left alone, and the test counts as passed, not updated.
    if (existsSync(expectedFile) && readFileSync(expectedFile, "utf8") === text) return finish("passed", []);
    writeOutputFile(expectedFile, text);
    return finish("updated", [`wrote ${rows.length} rows to ${posix.join(dir, spec.expect.file ?? "")}`]);
  }
  let expected: unknown[];
  if (expectedFile !== undefined) {
    if (!existsSync(expectedFile))
      return finish("failed", [
        `golden file ${posix.join(dir, spec.expect.file ?? "")} does not exist; run clue test --update to write it`,
      ]);
    const read = await readExpected(expectedFile);
    if (read.broken.length > 0) {
      return finish("error", [
        `golden file ${posix.join(dir, spec.expect.file ?? "")} has lines that are not JSON objects (${read.broken.join(", ")}); fix it or rewrite it with --update`,
      ]);
    }
    expected = read.rows;
  } else {
    expected = spec.expect.rows ?? [];
  }
  result.differences = compareRows(expected, rows, { idField, pii: options.showPii ? new Set() : pii });
  if (result.differences.length > 0) {
    // A record that cleaning removed shows up as missing: say which step removed it and why.
    const why = new Map(
      removed.map((r) => [textOf(r.id), `removed by cleaning step ${r.step}: ${r.reason}`]),
    );
    result.details.push(
      `${result.differences.length} difference${result.differences.length === 1 ? "" : "s"} at stage ${requested}:`,
      ...renderDifferences(result.differences, why),
    );
    if (spec.expect.rows !== undefined && options.update)
      result.details.push("inline rows are not rewritten by --update; edit them in the test file");
  }
  return finish(
    result.differences.length > 0 || result.details.some((d) => d.startsWith("over max_fail_ratio"))
      ? "failed"
      : "passed",
  );
}

/** The fields marked pii: true. */
function piiOf(fields: Record<string, EntityField>): Set<string> {
  return new Set(
    Object.entries(fields)
      .filter(([, f]) => f.pii)
      .map(([name]) => name),
  );
}

async function readExpected(path: string): Promise<{ rows: unknown[]; broken: string[] }> {
  const rows: unknown[] = [];
  const broken: string[] = [];
  for await (const { record } of readRecords(path, {
    format: "jsonl",
    onDeadLetter: (d) => broken.push(`line ${d.line}`),
  }))
    rows.push(record);
  return { rows, broken };
}
