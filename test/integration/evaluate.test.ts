import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PERSON_INPUTS } from "../example-inputs.js";
import type { Report } from "../../src/cli/commands/evaluate.js";
import { parseCsv } from "../../src/io/csv.js";

// `clue evaluate` and `clue blocking`, run as a user runs them (bin/clue.js), their figures checked against what
// the test works out on its own from the ground truth and from `clue run`'s matches and golden records.

const repo = fileURLToPath(new URL("../../", import.meta.url));
const febrlProject = fileURLToPath(new URL("../fixtures/accuracy/febrl/", import.meta.url));
const febrlData = fileURLToPath(new URL("../fixtures/data/febrl1.csv", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "clue-evaluate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function clue(args: string[], cwd = repo) {
  return spawnSync(process.execPath, [`${repo}bin/clue.js`, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);

const figuresOf = (tp: number, fp: number, fn: number) => {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 = precision && recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn };
};

/** A seeded generator (mulberry32), so the sample of false pairs is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** FEBRL's records, trimmed, in file order; each record's true entity; its records grouped by postcode. */
const febrlRows = [...parseCsv([readFileSync(febrlData, "utf8")], { skipInitialSpace: true })].map(
  ({ record }) =>
    Object.fromEntries(
      Object.entries(record).map(([k, v]) => [k.trim(), typeof v === "string" ? v.trim() : ""]),
    ),
);
const entityOf = (id: string) => /^rec-(\d+)-/.exec(id)?.[1] ?? id;
const byPostcode = new Map<string, string[]>();
for (const r of febrlRows)
  byPostcode.set(r.postcode ?? "", [...(byPostcode.get(r.postcode ?? "") ?? []), r.rec_id ?? ""]);

/** `clue evaluate` on FEBRL's data file with a project and labels file, as JSON. */
function evaluateFebrl(project: string, labels: string, format = "json") {
  return clue([
    "evaluate",
    "--labels",
    labels,
    "--source",
    "febrl",
    "--input",
    febrlData,
    "--project",
    project,
    "--format",
    format,
  ]);
}

describe("clue evaluate on FEBRL dataset 1, labels from its ground truth", () => {
  const rows = febrlRows;
  const ids = rows.map((r) => r.rec_id as string);
  // Every true pair, and a seeded sample of false pairs: half among records that share a postcode (so that rules
  // can be wrong about them), half drawn at random.
  const truth = new Map<string, boolean>();
  ids.forEach((a, x) =>
    ids.slice(x + 1).forEach((b) => {
      if (entityOf(a) === entityOf(b)) truth.set(pairKey(a, b), true);
    }),
  );
  const next = random(7);
  const crowded = [...byPostcode.values()].filter((g) => g.length > 2);
  for (let k = 0; truth.size < 500 + 300 && k < 10_000; k++) {
    const group = k % 2 === 0 ? (crowded[Math.floor(next() * crowded.length)] as string[]) : ids;
    const a = group[Math.floor(next() * group.length)] as string;
    const b = group[Math.floor(next() * group.length)] as string;
    if (a !== b && entityOf(a) !== entityOf(b)) truth.set(pairKey(a, b), false);
  }
  const labelsFile = join(scratch, "febrl-labels.csv");
  writeFileSync(
    labelsFile,
    `a,b,match\n${[...truth].map(([k, m]) => `${k.replace("|", ",febrl:")},${m}`).join("\n")}\n`,
  );
  const run = (stage: string) =>
    clue(["run", "--source", "febrl", "--input", febrlData, "--stage", stage, "--project", febrlProject]);

  it("scores every labelled pair as the engine does: pairs, thresholds, best, clusters, rules", () => {
    const result = evaluateFebrl(febrlProject, labelsFile);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const positives = [...truth.values()].filter(Boolean).length;
    expect(report.format_version).toBe(1);
    expect(report.counts).toMatchObject({
      labels: truth.size,
      positives,
      negatives: truth.size - positives,
      skipped: 0,
    });

    // Independently: the pairs `clue run` reports (score ≥ queue_threshold) and their scores and rules.
    const matches = jsonLines(run("matches").stdout) as {
      a: { id: string };
      b: { id: string };
      score: number;
      rules: string[];
    }[];
    const scoreOf = new Map(matches.map((m) => [pairKey(m.a.id, m.b.id), m]));
    const at = (t: number) => {
      let tp = 0;
      let fp = 0;
      for (const [k, match] of truth)
        if ((scoreOf.get(k)?.score ?? -1) >= t) {
          if (match) tp++;
          else fp++;
        }
      return figuresOf(tp, fp, positives - tp);
    };
    const close = (f: object) =>
      Object.fromEntries(
        Object.entries(f).map(([k, v]) => [k, typeof v === "number" ? expect.closeTo(v, 12) : v]),
      );
    expect(report.pairs).toEqual({ threshold: report.queue_threshold, ...close(at(report.queue_threshold)) });
    expect(report.auto_approve).toEqual({
      threshold: report.auto_approve_threshold,
      ...close(at(report.auto_approve_threshold)),
    });
    // Every threshold at or above the queue one is what the matches say; the list is sorted and holds both of the
    // file's thresholds and every score of a labelled pair among the matches.
    const thresholds = report.thresholds.map((f) => f.threshold);
    expect(thresholds).toEqual([...thresholds].sort((p, q) => p - q));
    const labelledScores = [...truth.keys()].flatMap((k) => (scoreOf.has(k) ? [scoreOf.get(k)?.score] : []));
    for (const t of [...labelledScores, report.queue_threshold, report.auto_approve_threshold])
      expect(thresholds).toContain(t);
    for (const f of report.thresholds.filter((f) => f.threshold >= report.queue_threshold))
      expect(f).toEqual({ threshold: f.threshold, ...close(at(f.threshold)) });
    // best: the highest F1, the higher threshold on a tie.
    const bestF1 = Math.max(...report.thresholds.map((f) => f.f1));
    expect(report.best).toEqual({
      threshold: Math.max(...report.thresholds.filter((f) => f.f1 === bestF1).map((f) => f.threshold)),
      f1: bestF1,
    });

    // Clusters: the golden records' members.
    const golden = jsonLines(run("golden").stdout) as { members: { id: string }[] }[];
    const clusterOf = new Map<string, number>();
    golden.forEach((g, k) => g.members.forEach((m) => clusterOf.set(m.id, k)));
    let ctp = 0;
    let cfp = 0;
    for (const [k, match] of truth) {
      const [a, b] = k.split("|") as [string, string];
      if (clusterOf.get(a) === clusterOf.get(b)) {
        if (match) ctp++;
        else cfp++;
      }
    }
    expect(report.clusters).toEqual({
      threshold: report.auto_approve_threshold,
      ...close(figuresOf(ctp, cfp, positives - ctp)),
    });

    // Per rule: every FEBRL rule's confidence is above queue_threshold, so every pair a rule holds for is a match
    // that lists the rule.
    for (const rule of report.rules) {
      const hit = [...truth].filter(([k]) => scoreOf.get(k)?.rules.includes(rule.rule));
      const t = hit.filter(([, m]) => m).length;
      expect(rule).toMatchObject({ pairs: hit.length, true: t });
    }
    // Blocking misses: labelled matches that share none of the rules' keys.
    const keysOf = (id: string) => {
      const r = rows[ids.indexOf(id)] as Record<string, string>;
      const k = (...f: string[]) =>
        f.every((x) => r[x] !== "") ? f.map((x) => r[x]).join("\u0000") : undefined;
      return [
        k("soc_sec_id"),
        k("surname", "date_of_birth"),
        k("postcode"),
        k("date_of_birth"),
        k("address_1"),
      ];
    };
    const missed = [...truth].filter(([k, m]) => {
      if (!m) return false;
      const [a, b] = k.split("|") as [string, string];
      const [ka, kb] = [keysOf(a), keysOf(b)];
      return !ka.some((key, x) => key !== undefined && key === kb[x]);
    });
    expect(report.counts.blocking_misses).toBe(missed.length);
    console.log(
      `febrl: ${report.counts.labels} labels; at queue ${JSON.stringify(report.pairs)}; clusters ${JSON.stringify(report.clusters)}; best ${JSON.stringify(report.best)}; blocking misses ${report.counts.blocking_misses}`,
    );
  });

  it("prints a short table in human form: a sample of thresholds and the best", () => {
    const result = evaluateFebrl(febrlProject, labelsFile, "human");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/pairs, queue_threshold 0\.85 +precision \d\.\d{3} +recall/);
    expect(result.stdout).toMatch(/best: threshold [\d.]+, F1 \d\.\d{3}/);
    const tableRows = result.stdout.split("\n").filter((l) => /^ {2}\d(\.\d+)? +(\d\.\d{3}|-) /.exec(l));
    expect(tableRows.length).toBeGreaterThan(2);
    expect(tableRows.length).toBeLessThanOrEqual(13);
  });

  it("counts with clue blocking what each pass's blocks hold, Σ n(n−1)/2", () => {
    const result = clue([
      "blocking",
      "--source",
      "febrl",
      "--input",
      febrlData,
      "--project",
      febrlProject,
      "--format",
      "json",
    ]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      passes: { rule?: string; keys: string[]; pairs: number; new: number; largest: number }[];
      total: number;
      compared: number;
      all_pairs: number;
    };
    const cleaned = jsonLines(run("cleaned").stdout) as Record<string, unknown>[];
    const pairsOn = (fields: string[]) => {
      const sizes = new Map<string, number>();
      for (const r of cleaned) {
        if (fields.some((f) => r[f] === null || r[f] === undefined)) continue;
        const key = JSON.stringify(fields.map((f) => r[f]));
        sizes.set(key, (sizes.get(key) ?? 0) + 1);
      }
      return [...sizes.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0);
    };
    expect(report.passes.map((p) => [p.rule, p.keys, p.pairs])).toEqual([
      ["ssn", ["soc_sec_id"], pairsOn(["soc_sec_id"])],
      ["name_dob", ["surname", "date_of_birth"], pairsOn(["surname", "date_of_birth"])],
      ["postcode_names", ["postcode"], pairsOn(["postcode"])],
      ["dob_surname", ["date_of_birth"], pairsOn(["date_of_birth"])],
      ["address_names", ["address_1"], pairsOn(["address_1"])],
    ]);
    expect(report.total).toBe(report.passes.reduce((s, p) => s + p.pairs, 0));
    // The pairs new to each pass add up to what clue run compares (its summary on stderr).
    const compared = /(\d+) pairs compared/.exec(run("matches").stderr)?.[1];
    expect(report.compared).toBe(Number(compared));
    expect(report.passes.reduce((s, p) => s + p.new, 0)).toBe(report.compared);
    expect(report.all_pairs).toBe((cleaned.length * (cleaned.length - 1)) / 2);
    const human = clue(["blocking", "--source", "febrl", "--input", febrlData, "--project", febrlProject]);
    expect(human.stdout).toMatch(/rule postcode_names +postcode +/);
    expect(human.stdout).toMatch(/total: [\d,]+ candidate pairs .* of 499,500 pairs/);
  });
});

describe("clue evaluate: labels that cannot be used, decisions, links", () => {
  // Two sources of the same people (FEBRL's mapping, twice), linked across sources only.
  const project = join(scratch, "link");
  cpSync(febrlProject, project, { recursive: true });
  writeFileSync(
    join(project, "config/mappings/febrl2.yaml"),
    readFileSync(join(project, "config/mappings/febrl.yaml"), "utf8").replace(
      "source: febrl",
      "source: febrl2",
    ),
  );
  const dedupPath = join(project, "config/dedup/person.yaml");
  writeFileSync(
    dedupPath,
    `${readFileSync(dedupPath, "utf8")}link_only: true\ndecisions:\n  - merge: [febrl:r3, febrl2:r3]\n  - never_merge: [febrl:r1, febrl2:r1]\n`,
  );
  const header =
    "rec_id,given_name,surname,street_number,address_1,suburb,postcode,state,date_of_birth,soc_sec_id";
  const a = join(scratch, "a.csv");
  const b = join(scratch, "b.csv");
  writeFileSync(
    a,
    `${header}\nr1,ann,smith,1,main street,x,2000,nsw,19800101,111\nr2,bob,jones,2,high street,y,3000,vic,19700202,222\nr3,cat,brown,3,low road,z,4000,qld,19600303,333\n`,
  );
  // r1 is the same person; r2 is too, but every key differs (a blocking miss); r3 is someone else.
  writeFileSync(
    b,
    `${header}\nr1,ann,smith,1,main street,x,2000,nsw,19800101,111\nr2,robert,jonas,2,high st,y,3001,vic,19700220,999\nr3,dan,green,9,far lane,w,5000,wa,19500505,444\n`,
  );
  const evaluate = (labels: string, ...more: string[]) => {
    const file = join(scratch, `labels-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, labels);
    return clue([
      "evaluate",
      "--labels",
      file,
      "--source",
      "febrl",
      "--input",
      a,
      "--source",
      "febrl2",
      "--input",
      b,
      "--project",
      project,
      ...more,
    ]);
  };

  it("reports each bad row with its line and leaves it out, and the file wins over a decision, saying so", () => {
    const result = evaluate(
      [
        "a,b,match",
        "r1,febrl2:r1,true", // r1 is ambiguous: both sources have it
        "febrl:r1,febrl2:r1,true", // overrides the never_merge decision
        "febrl:r2,febrl2:r2,true",
        "febrl:nobody,febrl2:r2,false",
        "febrl:r3,febrl2:r3,maybe",
        "febrl:r2,febrl:r2,false",
        "febrl:r2,febrl2:r2,false", // labelled on line 4 already
        "febrl:r1,febrl2:r3,false",
      ].join("\n"),
      "--format",
      "json",
    );
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.skipped.map((s) => s.line)).toEqual([2, 5, 6, 7, 8]);
    expect(report.skipped[0]?.message).toMatch(/ambiguous/);
    expect(report.skipped[1]?.message).toMatch(/no record has the id "febrl:nobody"/);
    expect(report.skipped[2]?.message).toMatch(/true or false/);
    expect(report.skipped[3]?.message).toMatch(/same record/);
    expect(report.skipped[4]?.message).toMatch(/already labelled on line 4/);
    expect(result.stderr).toMatch(/:2: skipped: the id "r1" is ambiguous/);
    expect(report.notes).toEqual([expect.stringMatching(/line 3: .* the file wins/)]);
    // Three rows from the file, and the merge decision on r3.
    expect(report.counts).toMatchObject({ labels: 4, from_file: 3, from_decisions: 1, skipped: 5 });
    // r2 is a true pair blocking never generates (every key differs): a miss at every threshold; so is r3, labelled
    // a match by the merge decision though its records have nothing in common.
    expect(report.counts.blocking_misses).toBe(2);
    expect(report.blocking_misses).toEqual([
      { a: "febrl:r2", b: "febrl2:r2", score: 0 },
      { a: "febrl:r3", b: "febrl2:r3", score: 0 },
    ]);
    // r1 (true, found), r2 (true, missed), r3 (true by the decision, but nothing in common: missed too).
    expect(report.pairs).toMatchObject({ tp: 1, fp: 0, fn: 2 });
    for (const f of report.thresholds) expect(f.fn).toBeGreaterThanOrEqual(2);
  });

  it("takes the decisions as labels: merge, every pair a match; never_merge, a non-match", () => {
    const result = evaluate("a,b,match\n", "--format", "json");
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.counts).toMatchObject({
      labels: 2,
      positives: 1,
      negatives: 1,
      from_decisions: 2,
      from_file: 0,
    });
    // The rules (not the decisions) score: r1 matches on every rule, so never_merge makes it a false positive.
    expect(report.pairs).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });

  it("fails with exit 1 on a labels file without the header, and 64 without --labels", () => {
    const bad = evaluate("x,y\n1,2\n");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/header a,b,match/);
    const usage = clue(["evaluate", "--source", "febrl", "--input", a, "--project", project]);
    expect(usage.status).toBe(64);
  });
});

describe("clue evaluate on the example project, as CI runs it", () => {
  it("runs the README's command on config/tests/labels/person.csv", () => {
    const args = ["evaluate", "--labels", "config/tests/labels/person.csv", ...PERSON_INPUTS];
    const human = clue(args);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stderr).toBe("");
    expect(human.stdout).toMatch(/^clue evaluate: config\/dedup\/person\.yaml on 41 records/);
    const report = JSON.parse(clue([...args, "--format", "json"]).stdout) as Report;
    expect(report.counts.skipped).toBe(0);
    // The shared landline (c_3 and c_9, never_merge) is the rules' one false positive at queue_threshold.
    expect(report.pairs.fp).toBe(1);
    expect(report.pairs.recall).toBe(1);
  });

  it("measures the example's trained Organization model against the generator's truth, as CI does", () => {
    const args = [
      "evaluate",
      "--labels",
      "config/tests/labels/organization.csv",
      "--source",
      "billing",
      "--entity",
      "Organization",
      "--input",
      "config/samples/billing-companies.csv",
      "--format",
      "json",
    ];
    const result = clue(args);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    // 92 true pairs and 92 false ones (half of them sharing the surname the names start with).
    expect(report.counts.skipped).toBe(0);
    expect(report.pairs.fp).toBe(0);
    expect(report.pairs.recall).toBeGreaterThan(0.7);
    // The model's probabilities rank the pairs: a threshold below the file's finds more true pairs, still none false.
    expect(report.best.f1).toBeGreaterThan(report.pairs.f1);
    expect(report.best.threshold).toBeLessThan(0.85);
  });
});

describe("clue evaluate with a probabilistic model", () => {
  // FEBRL with comparisons in place of rules (m and u set by hand), blocked on postcode and date of birth.
  const project = join(scratch, "model");
  cpSync(febrlProject, project, { recursive: true });
  writeFileSync(
    join(project, "config/dedup/person.yaml"),
    `entity: Person
blocking: [postcode, date_of_birth]
comparisons:
  - name: surname
    levels:
      - { name: exact, when: "surname == other.surname", m: 0.8, u: 0.005 }
      - { name: fuzzy, when: "jaro_winkler(surname, other.surname) >= 0.85", m: 0.15, u: 0.02 }
      - { name: else, m: 0.05, u: 0.975 }
  - name: ssn
    levels:
      - { name: missing, when: "soc_sec_id is null or other.soc_sec_id is null", null_level: true }
      - { name: exact, when: "soc_sec_id == other.soc_sec_id", m: 0.85, u: 0.0001 }
      - { name: else, m: 0.15, u: 0.9999 }
prior: 0.001
auto_approve_threshold: 0.95
queue_threshold: 0.8
`,
  );
  const rows = febrlRows;
  const byId = new Map(rows.map((r) => [r.rec_id as string, r]));
  const ids = [...byId.keys()];
  const next = random(11);
  const truth = new Map<string, boolean>();
  ids.forEach((a, x) =>
    ids.slice(x + 1).forEach((b) => {
      if (entityOf(a) === entityOf(b) && next() < 0.5) truth.set(pairKey(a, b), true);
    }),
  );
  // False pairs that share a postcode, so that the model scores them (some below queue_threshold).
  for (const group of byPostcode.values())
    for (let x = 0; x < group.length; x++)
      for (let y = x + 1; y < group.length; y++)
        if (entityOf(group[x] as string) !== entityOf(group[y] as string))
          truth.set(pairKey(group[x] as string, group[y] as string), false);
  const labelsFile = join(scratch, "model-labels.csv");
  writeFileSync(
    labelsFile,
    `a,b,match\n${[...truth].map(([k, m]) => `${k.replace("|", ",")},${m}`).join("\n")}\n`,
  );

  it("scores pairs below queue_threshold too, and counts the labelled pairs in each comparison level", () => {
    const result = evaluateFebrl(project, labelsFile);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.rules).toEqual([]);
    // Thresholds below queue_threshold: the model's probabilities of labelled pairs that clue run leaves out.
    expect(report.thresholds.some((f) => f.threshold < report.queue_threshold)).toBe(true);
    // At queue_threshold, the predicted pairs are the labelled pairs among clue run's matches.
    const matches = jsonLines(
      clue(["run", "--source", "febrl", "--input", febrlData, "--stage", "matches", "--project", project])
        .stdout,
    ) as { a: { id: string }; b: { id: string } }[];
    const found = new Set(matches.map((m) => pairKey(m.a.id, m.b.id)));
    const tp = [...truth].filter(([k, m]) => m && found.has(k)).length;
    const fp = [...truth].filter(([k, m]) => !m && found.has(k)).length;
    expect(report.pairs).toMatchObject({ tp, fp });
    // Levels, worked out here from the raw values (FEBRL's cleaning only trims, and the CSV is read trimmed).
    const level = (k: string, name: "surname" | "ssn") => {
      const [a, b] = k.split("|").map((id) => byId.get(id) as Record<string, string>) as [
        Record<string, string>,
        Record<string, string>,
      ];
      if (name === "ssn") {
        if (!a.soc_sec_id || !b.soc_sec_id) return "missing";
        return a.soc_sec_id === b.soc_sec_id ? "exact" : "else";
      }
      return a.surname && a.surname === b.surname ? "exact" : undefined;
    };
    for (const name of ["surname", "ssn"] as const) {
      const rowsOf = report.comparisons.filter((c) => c.comparison === name);
      expect(rowsOf.reduce((s, c) => s + c.pairs, 0)).toBe(truth.size);
      for (const want of name === "ssn" ? ["missing", "exact", "else"] : ["exact"]) {
        const hit = [...truth].filter(([k]) => level(k, name) === want);
        expect(rowsOf.find((c) => c.level === want)).toMatchObject({
          pairs: hit.length,
          true: hit.filter(([, m]) => m).length,
        });
      }
    }
  });
});
