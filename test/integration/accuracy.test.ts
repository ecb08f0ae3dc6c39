import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resourcesOf } from "../../src/config/project.js";
import type { Row } from "../../src/expr/compile.js";
import { parseCsv } from "../../src/io/csv.js";
import { compileDedup } from "../../src/matching/compile-dedup.js";
import { findMatches, type MatchRecord } from "../../src/matching/engine.js";
import { validateProject } from "../../src/validate.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

interface DataSet {
  name: string;
  project: string;
  source: string;
  data: string;
  /** Each record's id (as the matches and golden stages name it) and its true cluster, in file order. */
  truth: (rows: Record<string, string | null>[]) => [string, string][];
  /** The figures measured when the rules were written: a change that loses accuracy fails here. */
  floor: { precision: number; recall: number; f1: number };
}

const cell = (value: string | null | undefined) => (value ?? "").trim().replace(/^'|'$/g, "");

// test/fixtures/data/README.md says where each set comes from and how its ground truth is written.
const dataSets: DataSet[] = [
  {
    name: "FEBRL dataset 1",
    project: fixture("accuracy/febrl/"),
    source: "febrl",
    data: fixture("data/febrl1.csv"),
    truth: (rows) => rows.map((r) => [cell(r.rec_id), /^rec-(\d+)-/.exec(cell(r.rec_id))?.[1] ?? ""]),
    // Measured: 496 pairs predicted, 492 true (P 0.992, R 0.984, F1 0.988).
    floor: { precision: 0.99, recall: 0.98, f1: 0.985 },
  },
  {
    name: "Splink fake_1000",
    project: fixture("accuracy/splink/"),
    source: "fake_1000",
    data: fixture("data/splink_fake_1000.csv"),
    truth: (rows) => rows.map((r) => [cell(r.unique_id), cell(r.cluster)]),
    // Measured: 2,831 pairs predicted, all true (P 1.000, R 0.952, F1 0.975).
    floor: { precision: 0.995, recall: 0.95, f1: 0.97 },
  },
  {
    name: "dedupe restaurants",
    project: fixture("accuracy/restaurant/"),
    source: "restaurants",
    data: fixture("data/restaurant.csv"),
    // No column identifies a record, so the evaluator names records by position: #1, #2, ...
    truth: (rows) => rows.map((r, i) => [`#${i + 1}`, cell(r.unique_id)]),
    // Measured: 114 pairs predicted, 108 true (P 0.947, R 0.964, F1 0.956).
    floor: { precision: 0.94, recall: 0.96, f1: 0.955 },
  },
];

function clue(dataSet: DataSet, stage: string): unknown[] {
  const result = spawnSync(
    process.execPath,
    [
      `${repo}bin/clue.js`,
      "run",
      "--source",
      dataSet.source,
      "--input",
      dataSet.data,
      "--stage",
      stage,
      "--project",
      dataSet.project,
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);
}

/** Every pair within each group, as one string each, in a fixed order. */
function pairsWithin(groups: Iterable<readonly string[]>): Set<string> {
  const pairs = new Set<string>();
  for (const ids of groups) {
    const sorted = [...ids].sort();
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) pairs.add(`${sorted[i]}|${sorted[j]}`);
  }
  return pairs;
}

function rowsOf(path: string): Record<string, string | null>[] {
  return [...parseCsv([readFileSync(path, "utf8")], { skipInitialSpace: true })].map(({ record }) =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k.trim(), v as string | null])),
  );
}

describe.each(dataSets)("matching accuracy on $name", (dataSet) => {
  it("scores the golden records' clusters against the ground truth, pair by pair", () => {
    const golden = clue(dataSet, "golden") as { members: { id: string }[] }[];
    const predicted = pairsWithin(golden.map((g) => g.members.map((m) => m.id)));
    const clusters = new Map<string, string[]>();
    for (const [id, cluster] of dataSet.truth(rowsOf(dataSet.data)))
      clusters.set(cluster, [...(clusters.get(cluster) ?? []), id]);
    const truth = pairsWithin(clusters.values());
    const truePositives = [...predicted].filter((p) => truth.has(p)).length;
    const precision = truePositives / predicted.size;
    const recall = truePositives / truth.size;
    const f1 = (2 * precision * recall) / (precision + recall);
    expect({ precision, recall, f1 }).toEqual({
      precision: expect.toSatisfy((p: number) => p >= dataSet.floor.precision) as unknown,
      recall: expect.toSatisfy((r: number) => r >= dataSet.floor.recall) as unknown,
      f1: expect.toSatisfy((f: number) => f >= dataSet.floor.f1) as unknown,
    });
  });

  it("finds with blocking exactly the pairs that comparing every pair finds", () => {
    const rows = clue(dataSet, "cleaned") as Row[];
    const { project } = validateProject(dataSet.project);
    const dedup = resourcesOf(project, "dedup")[0];
    const entity = resourcesOf(project, "entity")[0];
    if (!dedup || !entity) throw new Error(`${dataSet.project} needs an entity and dedup rules`);
    const compiled = compileDedup(dedup, entity.spec.fields, { lookup: () => null });
    const records: MatchRecord[] = rows.map((row, i) => ({ source: dataSet.source, id: String(i), row }));
    const settings = {
      autoApprove: compiled.autoApprove,
      queue: compiled.queue,
      merge: [],
      neverMerge: [],
    };
    const blocked = findMatches(records, { ...settings, rules: compiled.rules, blocking: compiled.blocking });
    const all = findMatches(records, {
      ...settings,
      rules: compiled.rules.map((r) => ({ ...r, keys: [] })),
      blocking: [],
    });
    expect(all.compared).toBe((records.length * (records.length - 1)) / 2);
    expect(blocked.matches).toEqual(all.matches);
    expect(blocked.compared).toBeLessThan(all.compared / 10);
  });
});
