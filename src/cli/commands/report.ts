import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadProject, type Project } from "../../config/project.js";
import { readProjectFiles } from "../../config/read-project.js";
import { writeOutputFile } from "../../io/output-file.js";
import { readRecords, type SourceFormat } from "../../io/records.js";
import { passKeys } from "../../matching/blocking.js";
import { blockingCost } from "../../matching/engine.js";
import { LabelsError, readLabels } from "../../matching/evaluate.js";
import { evaluateDedup } from "../../matching/evaluate-report.js";
import { dedupOf, matchOptionsOf, matchStage } from "../../matching/match-stage.js";
import type { SourcePipeline } from "../../pipeline/compile-pipeline.js";
import { runPipeline, type OutputRow, type RunStats } from "../../pipeline/run.js";
import { overThreshold } from "../../pipeline/validation.js";
import { prepareRun, projectContext, type OpenOptions } from "../../pipeline/session.js";
import { readRevision, RevisionError, type Revision } from "../../review/revision.js";
import type { ReportData, ValidationFigures } from "../../web/report/data.js";
import { renderReport } from "../../web/report/render.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { projectFiles, refuseClobber } from "../output-guard.js";
import { loadValidProject } from "../project-check.js";
import { inputProblem, pairingArgs, pairingOptions } from "../validated-inputs.js";

export const usage = `Usage: clue report --source NAME --input FILE [--source NAME --input FILE ...] --out FILE [options]

Runs the evaluator on the inputs as clue run does and writes one self-contained HTML file (no script, no network:
readable offline and as a CI artifact): records read, validated and removed; the pass rate of every validation
(against a git revision with --base); dead letters (where and why, never their text); the records cleaning removed;
and, when the records' entity has dedup rules, a histogram of every compared pair's score with both thresholds, the
cluster sizes, the blocking cost of each pass and, with --labels, precision, recall and F1 against the threshold.
Charts are Vega-Lite drawn to SVG when the report is made.

Options:
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines, JSON array or CSV file, as for clue run
  --entity NAME         the entity, when a source maps onto several
  --input-format FMT    jsonl | json | csv | parquet, when the file's name does not say
  --out FILE            where the HTML goes (required)
  --base REF            compare pass rates with the config at this git revision (same inputs)
  --labels FILE         labelled pairs (CSV a,b,match, as for clue evaluate)
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 written, 1 the config, an input or the labels have problems, 64 bad usage.

Example:
  clue report --source crm-contacts --input config/samples/crm-contacts.jsonl \\
    --source billing --entity Person --input config/samples/billing.csv \\
    --labels config/tests/labels/person.csv --base main --out report.html`;

/** Dead letters listed in the report (all are counted). */
const LISTED_LETTERS = 200;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { format: _format, ...inputOptions } = pairingOptions;
  const { values } = parseArgs({
    args,
    options: {
      ...inputOptions,
      out: { type: "string" },
      base: { type: "string" },
      labels: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const { pairs, inputFormat: format } = pairingArgs(values);
  if (values.out === undefined) throw new UsageError("name the HTML file to write: --out report.html");
  const fail = (message: string) => {
    process.stderr.write(`clue report: ${message}\n`);
    return exitCodes.problems;
  };
  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const { project, root } = loaded;
  refuseClobber("--out", values.out, [
    ...pairs.map(({ input }) => ({ path: input, what: "an --input" })),
    ...projectFiles(root, project),
    ...(values.labels !== undefined ? [{ path: values.labels, what: "the --labels file" }] : []),
  ]);
  let labelsText: string | undefined;
  if (values.labels !== undefined)
    try {
      labelsText = readFileSync(values.labels, "utf8");
    } catch (error) {
      return fail(`cannot read --labels ${values.labels}: ${(error as Error).message}`);
    }
  // An unknown --base is a mistake in the command, found before any work (as clue diff does); a base whose config
  // cannot be evaluated still gets a report, which says why it has no comparison.
  let revision: Revision | undefined;
  if (values.base !== undefined)
    try {
      revision = readRevision(root, values.base);
    } catch (error) {
      if (error instanceof RevisionError) return fail(error.message);
      throw error;
    }

  try {
    const run = await evaluate(project, pairs, values.entity, format);
    const data: ReportData = {
      inputs: pairs,
      totals: {
        read: run.stats.read + run.letters.length,
        validated: run.validated.length,
        removed: run.stats.removedCount,
        deadLetters: run.letters.length,
        rejected: run.stats.rejected,
      },
      validations: validationFigures(run.stats),
      deadLetters: run.letters.slice(0, LISTED_LETTERS),
      removed: run.stats.removed,
    };
    if (values.base !== undefined && revision !== undefined) {
      data.base = { ref: values.base };
      try {
        const base = await baseRates(revision, pairs, values.entity, format);
        for (const v of data.validations) v.base = base.get(`${v.entity}.${v.rule}`) ?? null;
      } catch (error) {
        data.base.problem = error instanceof Error ? error.message : String(error);
        process.stderr.write(
          `clue report: warning: no comparison with ${values.base}: ${data.base.problem}\n`,
        );
      }
    }
    const entities = new Set(run.validated.map((v) => v.pipeline.entity));
    const found = entities.size === 1 ? dedupOf(project, run.validated, projectContext(project)) : undefined;
    if (found) {
      const scores: number[] = [];
      const matched = matchStage(project, run.validated, projectContext(project), {
        onScore: (s) => void scores.push(s),
      });
      if (matched) {
        const sizes = new Map<number, number>();
        const clusterOf = matched.clusterOf();
        const counts = new Map<number, number>();
        for (const c of clusterOf) counts.set(c, (counts.get(c) ?? 0) + 1);
        for (const n of counts.values()) sizes.set(n, (sizes.get(n) ?? 0) + 1);
        const cost = blockingCost(found.records, matchOptionsOf(found.compiled, found.records));
        const merged = matched.pairs.merged;
        data.matching = {
          entity: found.entity,
          file: found.dedup.doc.file.path,
          records: matched.records,
          compared: matched.compared,
          merged,
          queued: matched.pairs.pairs.count - merged,
          goldenRecords: counts.size,
          thresholds: matched.thresholds,
          scores,
          clusterSizes: [...sizes]
            .sort((a, b) => a[0] - b[0])
            .map(([size, clusters]) => ({ size, clusters })),
          blocking: {
            passes: cost.passes.map((p) => ({
              name:
                passKeys(found.dedup.spec, p.origin).join(" + ") ||
                ("rule" in p.origin ? p.origin.rule : "?"),
              keyed: p.keyed,
              blocks: p.blocks,
              largest: p.largest,
              pairs: p.pairs,
            })),
            allPairs: cost.allPairs,
            everyPair: cost.everyPair,
          },
          guard: matched.guardWarnings(),
        };
      }
      if (labelsText !== undefined && values.labels !== undefined) {
        const labelSet = readLabels(labelsText, found.records, found.dedup.spec.decisions ?? []);
        data.evaluation = evaluateDedup({
          ...found,
          labelSet,
          labelsFile: values.labels,
          unreadable: run.letters.length,
        });
      }
    } else if (values.labels !== undefined)
      return fail(
        "--labels measures dedup rules, and these inputs' entity has none (or the inputs hold several entities)",
      );

    const html = await renderReport(data);
    try {
      writeOutputFile(values.out, html);
    } catch (error) {
      return fail(`cannot write --out ${values.out}: ${(error as Error).message}`);
    }
    process.stderr.write(`clue report: wrote ${values.out}.\n`);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof LabelsError) return fail(`${values.labels}: ${error.message}`);
    return fail(inputProblem(error));
  } finally {
    revision?.cleanup();
  }
}

interface Evaluated {
  stats: RunStats;
  validated: { pipeline: SourcePipeline; row: OutputRow }[];
  letters: { source: string; line: number; reason: string }[];
}

/** The inputs through mapping, cleaning and validation, with every dead letter's source, line and reason. */
async function evaluate(
  project: Project,
  pairs: readonly { source: string; input: string }[],
  entity: string | undefined,
  format: SourceFormat | undefined,
): Promise<Evaluated> {
  const letters: Evaluated["letters"] = [];
  const prepared = await prepareRun(
    project,
    pairs.map(({ source, input }) => ({
      source,
      entity,
      open: ({ prepass, format: mapped, csv }: OpenOptions) =>
        readRecords(input, {
          ...csv,
          ...((format ?? mapped) ? { format: format ?? mapped } : {}),
          ...(prepass
            ? {}
            : { onDeadLetter: (d) => void letters.push({ source, line: d.line, reason: d.reason }) }),
        }),
    })),
  );
  const validated: Evaluated["validated"] = [];
  const stats = await runPipeline(prepared, {
    stage: "validated",
    emit: (row, pipeline) => void validated.push({ pipeline, row }),
    onRecordError: (pipeline, line, reason) => void letters.push({ source: pipeline.source, line, reason }),
  });
  return { stats, validated, letters };
}

function validationFigures(stats: RunStats): ValidationFigures[] {
  const out: ValidationFigures[] = [];
  for (const [entity, rules] of stats.rules)
    for (const s of rules.values())
      out.push({
        entity,
        rule: s.rule,
        checked: s.checked,
        failed: s.failed,
        rate: s.skipped !== undefined || s.checked === 0 ? null : (s.checked - s.failed) / s.checked,
        ...(s.maxFailRatio !== undefined ? { maxFailRatio: s.maxFailRatio } : {}),
        breached: overThreshold(s),
        ...(s.skipped !== undefined ? { skipped: s.skipped } : {}),
      });
  return out;
}

/** Each validation's pass rate on the same inputs with the config at a git revision, by `Entity.rule`. */
async function baseRates(
  revision: Revision,
  pairs: readonly { source: string; input: string }[],
  entity: string | undefined,
  format: SourceFormat | undefined,
): Promise<Map<string, number | null>> {
  const files = readProjectFiles(revision.dir);
  const project = loadProject(files.inputs, files.dataFiles, files.otherInputs);
  const { stats } = await evaluate(project, pairs, entity, format);
  return new Map(validationFigures(stats).map((v) => [`${v.entity}.${v.rule}`, v.rate]));
}
