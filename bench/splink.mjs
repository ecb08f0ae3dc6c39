// npm run bench:splink — clue's untuned Fellegi-Sunter model side by side with Splink's, in one run, on FEBRL
// dataset 1 and Splink's fake_1000 (test/fixtures/data/): F1, precision, recall, pairs predicted and wall time.
//
// The clue side, for each data set: copies its project (test/fixtures/accuracy/febrl-model/ or splink-model/: a
// dedup file with `comparisons:` mirroring Splink's model level for level and no m or u) to a temp folder, runs
// `clue train` (u from random pairs, the prior from the deterministic rules, m by EM, written into the YAML), then
// `clue run --stage golden`, each timed from spawn to exit, and scores the golden records' clusters pair by pair
// exactly as test/integration/accuracy.test.ts does. It runs the trained file twice:
//   - "clue": with the deterministic `rules:` taken out after training, so the pairs compared are those of the
//     `blocking:` keys alone — Splink's blocking_rules_to_generate_predictions — and nothing else differs from
//     Splink's run (in Splink the deterministic rules only set the prior). This is the side-by-side.
//   - "clue, rules kept": the file as `clue train` left it. clue's engine also compares the pairs that share a
//     rule's own keys (its `x == other.x` conjuncts), so rules add candidate pairs even at confidence 0.01, where
//     they can never merge or queue a pair themselves; the model then scores those pairs too.
//
// The Splink side: bench/splink/splink_bench.py in a virtual environment, .venv-bench/ (git-ignored), that this
// script makes with `python3 -m venv` and fills with `pip install -r bench/splink/requirements.txt` (every package
// pinned) the first time, and again when that file changes; after that the bench runs offline. The script trains the
// model of Splink's own tutorial or example for the data set (no labels), predicts, clusters at match probability
// 0.5 and reports its pairs and its times; its clusters are scored again here with the same function as clue's (the
// two scores must agree).
//
// Threshold policy, the same on both sides: a pair whose match probability is at least 0.5 joins its two records
// (Splink's cluster_pairwise_predictions_at_threshold(0.5); clue's auto_approve_threshold: 0.5), clusters are the
// connected components. Time: clue's is `clue train` + `clue run`, whole processes (Node start, reading the CSV,
// writing golden records); Splink's is training + prediction + clustering inside Python, without starting Python,
// importing Splink (shown apart) or reading the CSV, so the ratio does not favour clue.
//
// Each side runs BENCH_RUNS times (default 3), interleaved; the scores must be the same every time (both sides are
// seeded) and the times shown are medians.
//
// Environment: PYTHON (default python3) makes the venv; BENCH_KEEP=1 keeps the temp projects (with the trained
// YAML); BENCH_SETS=febrl1 runs one set. The full results go to bench/out/splink.json.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { parseCsv } from "../dist/io/csv.js";
import { splinkPython } from "./splink/venv.mjs";

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const splinkScript = join(repo, "bench/splink/splink_bench.py");
const THRESHOLD = 0.5;
const SEED = 42;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`BENCH_RUNS must be a positive integer, got ${RUNS}`);

const cell = (value) => (value ?? "").trim().replace(/^'|'$/g, "");

const DATA_SETS = [
  {
    key: "febrl1",
    name: "FEBRL dataset 1",
    project: "test/fixtures/accuracy/febrl-model",
    source: "febrl",
    data: "test/fixtures/data/febrl1.csv",
    truth: (rows) => rows.map((r) => [cell(r.rec_id), /^rec-(\d+)-/.exec(cell(r.rec_id))?.[1] ?? ""]),
  },
  {
    key: "fake_1000",
    name: "Splink fake_1000",
    project: "test/fixtures/accuracy/splink-model",
    source: "fake_1000",
    data: "test/fixtures/data/splink_fake_1000.csv",
    truth: (rows) => rows.map((r) => [cell(r.unique_id), cell(r.cluster)]),
  },
];
const only = process.env.BENCH_SETS?.split(",").map((s) => s.trim());
const sets = DATA_SETS.filter((d) => !only || only.includes(d.key));
if (sets.length === 0)
  throw new Error(`BENCH_SETS names no data set (${DATA_SETS.map((d) => d.key).join(", ")})`);

// ---------------------------------------------------------------------------------------------------------------
// Scoring, as test/integration/accuracy.test.ts does it.
// ---------------------------------------------------------------------------------------------------------------

/** Every pair within each group, as one string each, in a fixed order. */
function pairsWithin(groups) {
  const pairs = new Set();
  for (const ids of groups) {
    const sorted = [...ids].sort();
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) pairs.add(`${sorted[i]}|${sorted[j]}`);
  }
  return pairs;
}

function rowsOf(path) {
  return [...parseCsv([readFileSync(path, "utf8")], { skipInitialSpace: true })].map(({ record }) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k.trim(), v])),
  );
}

function truePairs(dataSet) {
  const clusters = new Map();
  for (const [id, cluster] of dataSet.truth(rowsOf(join(repo, dataSet.data))))
    clusters.set(cluster, [...(clusters.get(cluster) ?? []), id]);
  return pairsWithin(clusters.values());
}

function score(groups, truth) {
  const predicted = pairsWithin(groups);
  const truePositives = [...predicted].filter((p) => truth.has(p)).length;
  const precision = predicted.size === 0 ? 0 : truePositives / predicted.size;
  const recall = truePositives / truth.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { predicted: predicted.size, truePositives, precision, recall, f1 };
}

// ---------------------------------------------------------------------------------------------------------------
// The clue side.
// ---------------------------------------------------------------------------------------------------------------

function clue(args, cwd) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { ...result, ms: performance.now() - start };
}

/** The last lines of a failed command's output, indented. */
function tail(text, lines = 12) {
  return (text ?? "")
    .trim()
    .split("\n")
    .slice(-lines)
    .map((l) => `      ${l}`)
    .join("\n");
}

/** `clue run --stage golden` on a trained project, scored. */
function golden(dataSet, truth, project, common, dir, name) {
  const out = join(dir, `${name}-golden.jsonl`);
  const run = clue(
    [
      "run",
      ...common(project),
      "--stage",
      "golden",
      "--out",
      out,
      "--dead-letter",
      join(dir, `${name}-dead.jsonl`),
    ],
    dir,
  );
  if (run.status !== 0)
    return {
      error: `clue run --stage golden failed (exit ${run.status})\n${tail(run.stderr || run.stdout)}`,
    };
  const records = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const compared = /(\d+) pairs compared/.exec(run.stderr);
  return {
    ...score(
      records.map((g) => g.members.map((m) => m.id)),
      truth,
    ),
    pairsCompared: compared ? Number(compared[1]) : undefined,
    runMs: run.ms,
  };
}

/** `clue train`, then the trained file run without its rules ("clue") and as it is ("clue, rules kept"). */
function runClue(dataSet, truth, dir) {
  mkdirSync(dir, { recursive: true });
  const kept = join(dir, dataSet.key);
  cpSync(join(repo, dataSet.project), kept, { recursive: true });
  const input = join(repo, dataSet.data);
  const common = (project) => ["--project", project, "--source", dataSet.source, "--input", input];
  const train = clue(["train", ...common(kept)], dir);
  if (train.status !== 0) {
    const error =
      `clue train failed (exit ${train.status}${train.signal ? `, ${train.signal}` : ""}) — ` +
      `is \`clue train\` with \`comparisons:\` on this branch yet?\n${tail(train.stderr || train.stdout)}`;
    return { same: { error }, kept: { error } };
  }
  const trained = readFileSync(join(kept, "config/dedup/person.yaml"), "utf8");
  const same = join(dir, `${dataSet.key}-no-rules`);
  cpSync(kept, same, { recursive: true });
  const doc = parseDocument(trained);
  doc.delete("rules");
  writeFileSync(join(same, "config/dedup/person.yaml"), String(doc));
  const trainInfo = { trainMs: train.ms, trainOutput: (train.stderr + train.stdout).trim(), trained };
  const variant = (project, name) => {
    const r = golden(dataSet, truth, project, common, dir, name);
    return r.error ? r : { ...r, ...trainInfo, ms: train.ms + r.runMs };
  };
  return { same: variant(same, `${dataSet.key}-no-rules`), kept: variant(kept, dataSet.key) };
}

// ---------------------------------------------------------------------------------------------------------------
// The Splink side.
// ---------------------------------------------------------------------------------------------------------------

function runSplink(dataSet, truth) {
  const start = performance.now();
  const r = spawnSync(
    venvPython,
    [
      splinkScript,
      "--dataset",
      dataSet.key,
      "--data",
      join(repo, dataSet.data),
      "--seed",
      String(SEED),
      "--threshold",
      String(THRESHOLD),
    ],
    { cwd: repo, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  const processMs = performance.now() - start;
  if (r.status !== 0)
    return { error: `splink_bench.py failed (exit ${r.status})\n${tail(r.stderr || r.stdout)}` };
  const out = JSON.parse(r.stdout);
  const ours = score(out.clusters, truth);
  if (ours.predicted !== out.predicted || ours.truePositives !== out.true_positives)
    throw new Error(
      `Splink's clusters score differently here (${ours.predicted} pairs, ${ours.truePositives} true) than in ` +
        `Python (${out.predicted}, ${out.true_positives})`,
    );
  return { ...out, ...ours, ms: out.wall_s * 1000, processMs };
}

// ---------------------------------------------------------------------------------------------------------------
// The run.
// ---------------------------------------------------------------------------------------------------------------

const started = performance.now();
const setup = splinkPython();
const venvPython = setup.python;
const dir = mkdtempSync(join(tmpdir(), "clue-bench-splink-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const same = (a, b) => a.predicted === b.predicted && a.truePositives === b.truePositives;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Runs of one side into one result: the first run's scores (checked equal in every run), median times. */
function combine(runs, who, times) {
  const failed = runs.find((r) => r.error);
  if (failed) return failed;
  if (runs.some((r) => !same(r, runs[0]))) return { error: `${who}'s clusters differ from run to run` };
  return {
    ...runs[0],
    ...Object.fromEntries(times.map((k) => [k, median(runs.map((r) => r[k]))])),
    runs: runs.map((r) => r.ms),
  };
}

const results = [];
try {
  for (const dataSet of sets) {
    const truth = truePairs(dataSet);
    console.log(`\n${dataSet.name}: ${truth.size.toLocaleString("en")} true pairs`);
    const clueRuns = [];
    const splinkRuns = [];
    for (let run = 0; run < RUNS; run++) {
      clueRuns.push(runClue(dataSet, truth, join(dir, `run-${run}`)));
      splinkRuns.push(runSplink(dataSet, truth));
      if (clueRuns.at(-1).same.error && splinkRuns.at(-1).error) break;
    }
    const clueTimes = ["trainMs", "runMs", "ms"];
    const sides = {
      splink: combine(splinkRuns, "Splink", [
        "import_s",
        "train_s",
        "predict_s",
        "cluster_s",
        "wall_s",
        "ms",
        "processMs",
      ]),
      same: combine(
        clueRuns.map((r) => r.same),
        "clue",
        clueTimes,
      ),
      kept: combine(
        clueRuns.map((r) => r.kept),
        "clue",
        clueTimes,
      ),
    };
    const s = sides.splink;
    if (s.error) console.log(`  Splink: ** ${s.error}`);
    else
      console.log(
        `  Splink:            F1 ${s.f1.toFixed(3)} (P ${s.precision.toFixed(3)}, R ${s.recall.toFixed(3)}), ` +
          `${s.predicted} pairs predicted, ${s.pairs_scored} compared; train ${s.train_s.toFixed(2)} s + predict ` +
          `${s.predict_s.toFixed(2)} s + cluster ${s.cluster_s.toFixed(2)} s (import ${s.import_s.toFixed(2)} s, ` +
          `whole process ${secs(s.processMs)})`,
      );
    for (const [key, label] of [
      ["same", "clue:             "],
      ["kept", "clue, rules kept: "],
    ]) {
      const c = sides[key];
      if (c.error) console.log(`  ${label}** ${c.error}`);
      else
        console.log(
          `  ${label}F1 ${c.f1.toFixed(3)} (P ${c.precision.toFixed(3)}, R ${c.recall.toFixed(3)}), ` +
            `${c.predicted} pairs predicted, ${c.pairsCompared ?? "?"} compared; train ${secs(c.trainMs)} + run ` +
            `${secs(c.runMs)}`,
        );
      if (key === "same" && c.error) break;
    }
    results.push({ dataSet, ...sides });
  }
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------

const versions = results.find((r) => !r.splink.error)?.splink.versions;
console.log(
  `\nUntuned models trained without labels; pairs at match probability >= ${THRESHOLD} join, clusters scored pair ` +
    `by pair (node ${process.version}, ${versions ? `Splink ${versions.splink} on DuckDB ${versions.duckdb}, Python ${versions.python}` : "Splink did not run"}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"})`,
);
const f = (x) => x.toFixed(3);
const header = [
  "data set",
  "side",
  "F1",
  "P",
  "R",
  "pairs predicted",
  "pairs compared",
  "time",
  "Splink's / this",
];
const table = results.flatMap(({ dataSet, splink: s, same: c, kept: k }) =>
  [
    ["Splink", s, s.pairs_scored],
    ["clue", c, c.pairsCompared],
    ["clue, rules kept", k, k.pairsCompared],
  ].map(([side, r, compared], row) => [
    row === 0 ? dataSet.name : "",
    side,
    ...(r.error
      ? ["failed", "", "", "", "", "", ""]
      : [
          f(r.f1),
          f(r.precision),
          f(r.recall),
          r.predicted.toLocaleString("en"),
          compared === undefined ? "?" : compared.toLocaleString("en"),
          secs(r.ms),
          row === 0 || s.error ? "" : `${(s.ms / r.ms).toFixed(2)}×`,
        ]),
  ]),
);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
for (const row of [header, ...table])
  console.log(`  ${row.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`);
console.log(
  "  clue: the trained file without its deterministic rules, so it compares the pairs of Splink's prediction " +
    "blocking; rules kept: as clue train left it (the rules' keys add pairs to compare)",
);
console.log(
  "  time: clue's is `clue train` + `clue run --stage golden`, whole processes; Splink's is training + prediction + " +
    `clustering in Python (imports and reading the CSV not counted); median of ${RUNS} interleaved run${RUNS === 1 ? "" : "s"}`,
);
for (const { dataSet, splink: s, same: c } of results) {
  if (c.error || s.error) continue;
  const aims = [
    c.f1 >= s.f1
      ? "F1 at or above Splink's: met"
      : `F1 at or above Splink's: ** not met ** (${f(c.f1)} < ${f(s.f1)})`,
    c.ms < s.ms ? "faster: met" : `faster: ** not met ** (${secs(c.ms)} against ${secs(s.ms)})`,
  ];
  console.log(`  aim on ${dataSet.name}: ${aims.join("; ")}`);
}
if (setup.installed) console.log(`  (first run: made .venv-bench/ in ${secs(setup.ms)}, not counted above)`);

mkdirSync(join(repo, "bench/out"), { recursive: true });
writeFileSync(
  join(repo, "bench/out/splink.json"),
  `${JSON.stringify(
    results.map(({ dataSet, splink, same: clue, kept }) => ({
      dataSet: dataSet.name,
      splink,
      clue,
      clueRulesKept: kept,
    })),
    null,
    2,
  )}\n`,
);
console.log(`full results in bench/out/splink.json; total bench time ${secs(performance.now() - started)}`);
const failed = results.filter((r) => r.same.error || r.splink.error);
if (failed.length > 0) {
  console.log(
    `\n** ${failed.map((r) => `${r.dataSet.name}: ${[r.same.error ? "clue" : "", r.splink.error ? "Splink" : ""].filter(Boolean).join(" and ")}`).join("; ")} failed (see above)`,
  );
  process.exitCode = 1;
}
