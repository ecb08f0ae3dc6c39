import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { diagnosticAt } from "../../config/locate.js";
import { formatters } from "../../format/index.js";
import { writeOutputFile } from "../../io/output-file.js";
import { log2Odds } from "../../matching/model.js";
import { train, TRAIN_DEFAULTS, type TrainResult } from "../../matching/train.js";
import { roundProbability, writeModel } from "../../matching/write-model.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { loadValidProject } from "../project-check.js";
import { pairingArgs, pairingOptions, readDedup, table } from "../validated-inputs.js";
import { version } from "../version.js";

export const usage = `Usage: clue train --source NAME --input FILE [--source NAME --input FILE ...] [options]

Estimates the probabilistic model of the entity's dedup file (its \`comparisons:\`) from the records, without
labels, as Splink trains: u from random pairs, the prior from the deterministic \`rules:\`, m by EM on the pairs of
each \`training.blocking\` pass. Then it writes the prior and each level's m and u into the dedup file, keeping its
comments and layout, so the numbers are reviewed in a pull request. The same records, file and seed give the same
numbers. It says when EM did not converge, or a level was never observed.

Options:
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines, JSON array or CSV file, as for clue run
  --entity NAME         the entity, when a source maps onto several
  --input-format FMT    jsonl | json | csv | parquet, when the file's name does not say
  --seed N              seeds the random pairs (default: training.seed, else 42)
  --dry-run             print what it would write; leave the file as it is
  --format FMT          human | json (default: human)
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 trained (warnings included), 1 the config or an input has problems, 64 bad usage.

Examples:
  clue train --source billing --entity Organization --input config/samples/billing-companies.csv
  clue train --source billing --entity Organization --input config/samples/billing-companies.csv --dry-run --format json`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...pairingOptions, seed: { type: "string" }, "dry-run": { type: "boolean" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const { pairs, format, inputFormat } = pairingArgs(values);
  const seedOption = values.seed === undefined ? undefined : Number(values.seed);
  if (seedOption !== undefined && !Number.isSafeInteger(seedOption))
    throw new UsageError(`--seed takes an integer, not "${values.seed}"`);

  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const { project, root } = loaded;
  const read = await readDedup(project, pairs, { entity: values.entity, format: inputFormat }, "train on");
  if (!read.found) throw new UsageError(read.problem);
  const { unreadable } = read;
  const { dedup, compiled, records } = read.found;
  if (!compiled.model)
    throw new UsageError(
      `${dedup.doc.file.path} has no comparisons: to train; add a probabilistic model (see README, Probabilistic matching)`,
    );
  if (compiled.training.length === 0)
    throw new UsageError(
      `${dedup.doc.file.path} has no training.blocking passes: add one or more pair conditions for EM, such as \`surname == other.surname\``,
    );
  const settings = dedup.spec.training ?? {};
  const started = performance.now();
  const result = train(records, compiled, {
    seed: seedOption ?? settings.seed ?? TRAIN_DEFAULTS.seed,
    maxPairs: settings.max_pairs ?? TRAIN_DEFAULTS.maxPairs,
    recall: settings.recall ?? TRAIN_DEFAULTS.recall,
    maxIterations: settings.max_iterations ?? TRAIN_DEFAULTS.maxIterations,
    tolerance: TRAIN_DEFAULTS.tolerance,
  });
  const seconds = (performance.now() - started) / 1000;

  const file = dedup.doc.file.path;
  const path = join(root, file);
  const before = readFileSync(path, "utf8");
  if (before !== dedup.doc.file.text)
    throw new UsageError(`${file} changed while clue train was reading it; run it again`);
  const after = writeModel(before, file, dedup.doc.index, result);
  const written = !values["dry-run"] && after !== before;
  if (written) writeOutputFile(path, after);

  const diagnostics = result.warnings.map((w) =>
    diagnosticAt(dedup.doc, w.path, w.code, w.message, { severity: "warning" }),
  );
  if (format === "json") {
    process.stdout.write(
      `${JSON.stringify(
        {
          format_version: 1,
          file,
          records: records.length,
          unreadable,
          written,
          seconds: Math.round(seconds * 1000) / 1000,
          ...result,
          warnings: diagnostics,
        },
        null,
        2,
      )}\n`,
    );
    return exitCodes.ok;
  }
  if (diagnostics.length > 0)
    process.stderr.write(
      `${
        formatters.human(
          {
            tool: { name: "clue", version: version() },
            diagnostics,
            redactions: [],
            sources: new Map([[file, before]]),
            counts: { files: 1, resources: 1, environments: project.environments.length },
            failSeverity: "error",
          },
          { color: global.color },
        ).text
      }\n`,
    );
  process.stdout.write(
    `${summary(result, {
      file,
      records: records.length,
      unreadable,
      seconds,
      written: values["dry-run"] ? "dry-run" : written,
    })}\n`,
  );
  return exitCodes.ok;
}

function summary(
  result: TrainResult,
  run: { file: string; records: number; unreadable: number; seconds: number; written: boolean | "dry-run" },
): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const lines = [
    `clue train: ${run.file}: ${n(run.records)} records${run.unreadable > 0 ? ` (${n(run.unreadable)} unreadable, left out)` : ""}, ${n(result.totalPairs)} pairs, in ${run.seconds.toFixed(1)} s.`,
    result.priorFrom === "rules"
      ? `  prior ${roundProbability(result.prior as number)}: the rules found ${n(result.rulePairs)} pair${result.rulePairs === 1 ? "" : "s"}.`
      : result.prior === undefined
        ? "  prior: none (see the warning)"
        : `  prior ${result.prior}: kept as written (no rule found a pair to set it from).`,
    `  u from ${n(result.randomPairs)} random pairs.`,
  ];
  for (const s of result.sessions)
    lines.push(
      `  EM on "${s.condition}": ${n(s.pairs)} pairs, ${s.converged ? `converged in ${s.iterations} iterations` : `not converged after ${s.iterations} iterations`}, ${(s.matchShare * 100).toFixed(1)}% matches; estimated ${s.estimated.join(", ") || "nothing"}.`,
    );
  const rows: string[][] = [["comparison", "level", "m", "u", "weight"]];
  for (const c of result.comparisons)
    for (const l of c.levels)
      rows.push([
        c.name,
        l.name,
        l.m === undefined ? "-" : String(roundProbability(l.m)),
        l.u === undefined ? "-" : String(roundProbability(l.u)),
        l.m === undefined || l.u === undefined ? "-" : Math.log2(l.m / l.u).toFixed(2),
      ]);
  lines.push("", ...table(rows));
  if (result.prior !== undefined) lines.push("", `  prior weight ${log2Odds(result.prior).toFixed(2)}`);
  lines.push(
    "",
    run.written === "dry-run"
      ? `Dry run: ${run.file} left as it is.`
      : run.written
        ? `Wrote the prior and each level's m and u into ${run.file}.`
        : `${run.file} already holds these numbers.`,
  );
  return lines.join("\n");
}
