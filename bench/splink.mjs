// npm run bench:splink — clue's untuned Fellegi-Sunter model side by side with Splink's, in one run, on FEBRL
// dataset 1 and Splink's fake_1000 (test/fixtures/data/): F1, precision, recall, pairs predicted and wall time.
//
// The clue side, for each data set: copies its project (test/fixtures/accuracy/febrl-model/ or splink-model/: a
// dedup file with `comparisons:` mirroring Splink's model level for level and no m or u) to a temp folder, runs
// `clue train` (u from random pairs, the prior from the deterministic rules, m by EM, written into the YAML), then
// `clue run --stage golden`, each timed from spawn to exit, and scores the golden records' clusters pair by pair
// exactly as test/integration/accuracy.test.ts does.
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
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "../dist/io/csv.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const venv = join(repo, ".venv-bench");
const venvPython = join(venv, "bin/python");
const requirements = join(repo, "bench/splink/requirements.txt");
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

function runClue(dataSet, truth, dir) {
  mkdirSync(dir, { recursive: true });
  const project = join(dir, dataSet.key);
  cpSync(join(repo, dataSet.project), project, { recursive: true });
  const input = join(repo, dataSet.data);
  const common = ["--project", project, "--source", dataSet.source, "--input", input];
  const train = clue(["train", ...common], dir);
  if (train.status !== 0)
    return {
      error:
        `clue train failed (exit ${train.status}${train.signal ? `, ${train.signal}` : ""}) — ` +
        `is \`clue train\` with \`comparisons:\` on this branch yet?\n${tail(train.stderr || train.stdout)}`,
    };
  const out = join(dir, `${dataSet.key}-golden.jsonl`);
  const run = clue(
    [
      "run",
      ...common,
      "--stage",
      "golden",
      "--out",
      out,
      "--dead-letter",
      join(dir, `${dataSet.key}-dead-letters.jsonl`),
    ],
    dir,
  );
  if (run.status !== 0)
    return {
      error: `clue run --stage golden failed (exit ${run.status})\n${tail(run.stderr || run.stdout)}`,
    };
  const golden = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const compared = /(\d+) pairs compared/.exec(run.stderr);
  return {
    ...score(
      golden.map((g) => g.members.map((m) => m.id)),
      truth,
    ),
    pairsCompared: compared ? Number(compared[1]) : undefined,
    trainMs: train.ms,
    runMs: run.ms,
    ms: train.ms + run.ms,
    trainOutput: (train.stderr + train.stdout).trim(),
    trained: readFileSync(join(project, "config/dedup/person.yaml"), "utf8"),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The Splink side.
// ---------------------------------------------------------------------------------------------------------------

/** .venv-bench/ with the pinned packages: made (and pip-installed) on first use and when the pins change. */
function ensureVenv() {
  const want = createHash("sha256").update(readFileSync(requirements)).digest("hex");
  const stamp = join(venv, ".requirements.sha256");
  if (existsSync(venvPython) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want)
    return { installed: false };
  const python = process.env.PYTHON ?? "python3";
  console.log(`setting up ${venv} (${python} -m venv, pip install -r bench/splink/requirements.txt) ...`);
  const start = performance.now();
  const step = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0)
      throw new Error(
        `${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${tail(r.stderr || r.stdout, 30)}`,
      );
  };
  rmSync(venv, { recursive: true, force: true });
  step(python, ["-m", "venv", venv]);
  step(venvPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements]);
  writeFileSync(stamp, `${want}\n`);
  return { installed: true, ms: performance.now() - start };
}

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
const setup = ensureVenv();
const dir = mkdtempSync(join(tmpdir(), "clue-bench-splink-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const same = (a, b) => a.predicted === b.predicted && a.truePositives === b.truePositives;
const results = [];
try {
  for (const dataSet of sets) {
    const truth = truePairs(dataSet);
    console.log(`\n${dataSet.name}: ${truth.size.toLocaleString("en")} true pairs`);
    // Interleaved runs; the scores must not change from run to run (both sides are seeded), the times are medians.
    const clueRuns = [];
    const splinkRuns = [];
    for (let run = 0; run < RUNS; run++) {
      const c = runClue(dataSet, truth, join(dir, `run-${run}`));
      if (c.error || (clueRuns[0] && !same(c, clueRuns[0])))
        clueRuns.splice(
          0,
          clueRuns.length,
          c.error ? c : { error: "clue's clusters differ from run to run" },
        );
      else clueRuns.push(c);
      const s = runSplink(dataSet, truth);
      if (s.error || (splinkRuns[0] && !same(s, splinkRuns[0])))
        splinkRuns.splice(
          0,
          splinkRuns.length,
          s.error ? s : { error: "Splink's clusters differ from run to run" },
        );
      else splinkRuns.push(s);
      if (clueRuns[0]?.error && splinkRuns[0]?.error) break;
    }
    const c = clueRuns[0].error
      ? clueRuns[0]
      : {
          ...clueRuns[0],
          trainMs: median(clueRuns.map((r) => r.trainMs)),
          runMs: median(clueRuns.map((r) => r.runMs)),
          ms: median(clueRuns.map((r) => r.ms)),
          runs: clueRuns.map((r) => r.ms),
        };
    const s = splinkRuns[0].error
      ? splinkRuns[0]
      : {
          ...splinkRuns[0],
          ...Object.fromEntries(
            ["import_s", "train_s", "predict_s", "cluster_s", "wall_s"].map((k) => [
              k,
              median(splinkRuns.map((r) => r[k])),
            ]),
          ),
          ms: median(splinkRuns.map((r) => r.ms)),
          processMs: median(splinkRuns.map((r) => r.processMs)),
          runs: splinkRuns.map((r) => r.ms),
        };
    if (c.error) console.log(`  clue: ** ${c.error}`);
    else
      console.log(
        `  clue:   F1 ${c.f1.toFixed(3)} (P ${c.precision.toFixed(3)}, R ${c.recall.toFixed(3)}), ` +
          `${c.predicted} pairs predicted; train ${(c.trainMs / 1000).toFixed(2)} s + run ` +
          `${(c.runMs / 1000).toFixed(2)} s${c.pairsCompared === undefined ? "" : `, ${c.pairsCompared} pairs compared`}`,
      );
    if (s.error) console.log(`  Splink: ** ${s.error}`);
    else
      console.log(
        `  Splink: F1 ${s.f1.toFixed(3)} (P ${s.precision.toFixed(3)}, R ${s.recall.toFixed(3)}), ` +
          `${s.predicted} pairs predicted; train ${s.train_s.toFixed(2)} s + predict ${s.predict_s.toFixed(2)} s + ` +
          `cluster ${s.cluster_s.toFixed(2)} s, ${s.pairs_scored} pairs scored ` +
          `(import ${s.import_s.toFixed(2)} s, whole process ${(s.processMs / 1000).toFixed(2)} s)`,
      );
    results.push({ dataSet, clue: c, splink: s });
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
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const header = [
  "data set",
  "clue F1",
  "P",
  "R",
  "pairs",
  "time",
  "Splink F1",
  "P",
  "R",
  "pairs",
  "time",
  "Splink/clue",
];
const table = results.map(({ dataSet, clue: c, splink: s }) => {
  const cc = c.error
    ? ["failed", "", "", "", ""]
    : [f(c.f1), f(c.precision), f(c.recall), String(c.predicted), secs(c.ms)];
  const ss = s.error
    ? ["failed", "", "", "", ""]
    : [f(s.f1), f(s.precision), f(s.recall), String(s.predicted), secs(s.ms)];
  const ratio = c.error || s.error ? "" : `${(s.ms / c.ms).toFixed(2)}×`;
  return [dataSet.name, ...cc, ...ss, ratio];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
for (const row of [header, ...table])
  console.log(`  ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`);
console.log(
  "  clue time: `clue train` + `clue run --stage golden`, whole processes; Splink time: training + prediction + " +
    `clustering in Python (imports and reading the CSV not counted); median of ${RUNS} interleaved run${RUNS === 1 ? "" : "s"}`,
);
for (const { dataSet, clue: c, splink: s } of results) {
  if (c.error || s.error) continue;
  const aims = [
    c.f1 >= s.f1
      ? "F1 at or above Splink's: met"
      : `F1 at or above Splink's: ** not met ** (${f(c.f1)} < ${f(s.f1)})`,
    c.ms < s.ms ? "faster: met" : "faster: ** not met **",
  ];
  console.log(`  aim on ${dataSet.name}: ${aims.join("; ")}`);
}
if (setup.installed) console.log(`  (first run: made .venv-bench/ in ${secs(setup.ms)}, not counted above)`);

mkdirSync(join(repo, "bench/out"), { recursive: true });
writeFileSync(
  join(repo, "bench/out/splink.json"),
  `${JSON.stringify(
    results.map(({ dataSet, clue: c, splink: s }) => ({ dataSet: dataSet.name, clue: c, splink: s })),
    null,
    2,
  )}\n`,
);
console.log(`full results in bench/out/splink.json; total bench time ${secs(performance.now() - started)}`);
const failed = results.filter((r) => r.clue.error || r.splink.error);
if (failed.length > 0) {
  console.log(
    `\n** ${failed.map((r) => `${r.dataSet.name}: ${r.clue.error ? "clue" : ""}${r.clue.error && r.splink.error ? " and " : ""}${r.splink.error ? "Splink" : ""}`).join("; ")} failed (see above)`,
  );
  process.exitCode = 1;
}
