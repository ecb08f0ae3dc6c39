// The probabilistic dedup model: weights as Fellegi–Sunter defines them, training that recovers known m and u from
// unlabelled records, write-back that changes the numbers and nothing else, and linkage across sources.
import { describe, expect, it } from "vitest";
import { loadProject, resourcesOf, type ProjectInput } from "../../src/config/project.js";
import { validateLoadedProject } from "../../src/validate.js";
import { compileDedup } from "../../src/matching/compile-dedup.js";
import { findMatches, type MatchOptions, type MatchRecord } from "../../src/matching/engine.js";
import { train, TRAIN_DEFAULTS, sourceNumbers } from "../../src/matching/train.js";
import { writeModel } from "../../src/matching/write-model.js";
import { mulberry32 } from "../../src/util/mulberry32.js";
import { clusterRecords } from "../../src/golden/clusters.js";
import { enforceCoherence } from "../../src/golden/coherence.js";
import fc from "fast-check";
import { mergeListOf } from "../../src/matching/pair-list.js";
import { PipelineError } from "../../src/pipeline/pipeline-error.js";

const ENTITY = `entity: Person
fields:
  id: { type: string, required: true }
  first_name: { type: string }
  surname: { type: string }
  city: { type: string }
`;

const encode = (path: string, text: string): ProjectInput => ({
  path,
  bytes: new TextEncoder().encode(text),
});

function compiled(dedup: string) {
  const project = loadProject([
    encode("config/entities/person.yaml", ENTITY),
    encode("config/dedup/person.yaml", dedup),
  ]);
  const errors = validateLoadedProject(project).diagnostics.filter((d) => d.severity === "error");
  expect(errors).toEqual([]);
  const resource = resourcesOf(project, "dedup")[0]!;
  const entity = resourcesOf(project, "entity")[0]!;
  return compileDedup(resource, entity.spec.fields, { lookup: () => null });
}

function optionsOf(c: ReturnType<typeof compiled>): MatchOptions {
  return {
    rules: c.rules,
    blocking: c.blocking,
    parts: c.parts,
    autoApprove: c.autoApprove,
    queue: c.queue,
    merge: [],
    neverMerge: [],
    ...(c.model ? { model: c.model } : {}),
  };
}

const MODEL = `entity: Person
blocking: [surname]
prior: 0.01
comparisons:
  - name: first_name
    levels:
      - name: "null"
        when: first_name is null or other.first_name is null
        null_level: true
      - name: exact
        when: first_name == other.first_name
        m: 0.8
        u: 0.05
      - name: else
        m: 0.2
        u: 0.95
  - name: city
    term_frequency: city
    levels:
      - name: exact
        when: city == other.city
        tf: true
        m: 0.9
        u: 0.3
      - name: else
        m: 0.1
        u: 0.7
auto_approve_threshold: 0.9
queue_threshold: 0
`;

const record = (id: string, row: Record<string, unknown>, source = "crm"): MatchRecord => ({
  source,
  id,
  row: { id, ...row },
});

describe("match weights", () => {
  it("add the prior's log-odds and each level's log2(m/u), with u the value's frequency on a tf level", () => {
    const c = compiled(MODEL);
    const records = [
      record("1", { first_name: "ann", surname: "lee", city: "perth" }),
      record("2", { first_name: "ann", surname: "lee", city: "perth" }),
      record("3", { first_name: null, surname: "lee", city: "sydney" }),
      record("4", { first_name: "bob", surname: "lee", city: "sydney" }),
      record("5", { first_name: "cal", surname: "lee", city: "sydney" }),
    ];
    const { matches } = findMatches(records, optionsOf(c));
    const pair = (a: string, b: string) => matches.find((m) => m.a.id === a && m.b.id === b)!;
    const prior = Math.log2(0.01 / 0.99);
    // 1–2: first names equal; perth is 2 of 5 cities, so u is 0.4 on the tf level.
    const w12 = prior + Math.log2(0.8 / 0.05) + Math.log2(0.9 / 0.4);
    expect(pair("1", "2").explain?.match_weight).toBeCloseTo(w12, 3);
    expect(pair("1", "2").score).toBeCloseTo(1 / (1 + 2 ** -w12), 9);
    // 3–4: a null first name says nothing; sydney is 3 of 5.
    const w34 = prior + 0 + Math.log2(0.9 / 0.6);
    expect(pair("3", "4").explain?.comparisons).toEqual([
      { comparison: "first_name", level: "null", weight: 0 },
      { comparison: "city", level: "exact", weight: Math.round(Math.log2(0.9 / 0.6) * 1e4) / 1e4 },
    ]);
    expect(pair("3", "4").explain?.match_weight).toBeCloseTo(w34, 3);
    // 1–4: different first names and cities.
    expect(pair("1", "4").explain?.match_weight).toBeCloseTo(
      prior + Math.log2(0.2 / 0.95) + Math.log2(0.1 / 0.7),
      3,
    );
    for (const m of matches) {
      const sum = (m.explain?.prior ?? 0) + (m.explain?.comparisons ?? []).reduce((s, x) => s + x.weight, 0);
      expect(sum).toBeCloseTo(m.explain?.match_weight ?? Number.NaN, 3);
    }
  });

  it("compares only the pairs blocking brings together, and takes the higher of a rule's and the model's score", () => {
    const c = compiled(
      `${MODEL.replace("queue_threshold: 0", "queue_threshold: 0.5")}rules:\n  - name: same_id\n    when: id == other.id\n    confidence: 1\n`,
    );
    const records = [
      record("1", { first_name: "ann", surname: "lee", city: "perth" }),
      record("1", { first_name: "zed", surname: "kim", city: "hobart" }),
      record("3", { first_name: "ann", surname: "moe", city: "perth" }),
    ];
    const { matches, compared } = findMatches(records, optionsOf(c));
    expect(compared).toBe(1); // only the two records with id 1 share a key (the rule's); no surname is shared
    expect(matches.map((m) => [m.a.id, m.b.id, m.score, m.rules])).toEqual([["1", "1", 1, ["same_id"]]]);
  });
});

/** Records of a known model: 1,200 people, a quarter of them twice with errors at rates m, others at random. */
function synthetic(seed: number): MatchRecord[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const firsts = Array.from({ length: 60 }, (_, i) => `f${i}`);
  const surnames = Array.from({ length: 400 }, (_, i) => `s${i}`);
  const cities = Array.from({ length: 20 }, (_, i) => `c${i}`);
  const out: MatchRecord[] = [];
  for (let p = 0; p < 1200; p++) {
    const person = { first_name: pick(firsts), surname: pick(surnames), city: pick(cities) };
    out.push(record(`p${p}`, person));
    if (p % 4 === 0)
      out.push(
        record(`p${p}-dup`, {
          // The duplicate keeps its first name 90% of the time and its city 70%.
          first_name: random() < 0.9 ? person.first_name : pick(firsts),
          surname: person.surname,
          city: random() < 0.7 ? person.city : pick(cities),
        }),
      );
  }
  return out;
}

const TRAINED = `# A model to learn.
entity: Person # comment kept
blocking: [surname]
comparisons:
  - name: first_name
    levels:
      - name: exact
        when: first_name == other.first_name
      - name: else
  - name: city
    levels:
      - {name: exact, when: city == other.city}
      - name: else
training:
  blocking:
    - surname == other.surname
rules:
  - name: same_name_and_city
    when: first_name == other.first_name and surname == other.surname and city == other.city
    confidence: 1
auto_approve_threshold: 0.9
queue_threshold: 0.5
`;

describe("clue train", () => {
  it("recovers u from random pairs and m by EM, the same numbers every time", () => {
    const records = synthetic(11);
    const c = compiled(TRAINED);
    const settings = { ...TRAIN_DEFAULTS, maxIterations: 200 };
    const result = train(records, c, settings);
    const level = (comparison: number, k: number) => result.comparisons[comparison]!.levels[k]!;
    // u: the chance two random people share a value (1/60 first names, 1/20 cities).
    expect(level(0, 0).u).toBeCloseTo(1 / 60, 2);
    expect(level(1, 0).u).toBeCloseTo(1 / 20, 2);
    // m: duplicates keep their first name 90% of the time (+ 10% × 1/60 by chance), their city 70% (+ 30% × 1/20).
    expect(level(0, 0).m).toBeCloseTo(0.9 + 0.1 / 60, 1);
    expect(level(1, 0).m).toBeCloseTo(0.7 + 0.3 / 20, 1);
    expect(result.sessions[0]?.converged).toBe(true);
    expect(result.priorFrom).toBe("rules");
    expect(train(records, c, settings)).toEqual(result);
  });

  it("says when EM did not converge and when a level is never observed", () => {
    const c = compiled(
      TRAINED.replace(
        "    levels:\n      - name: exact\n        when: first_name",
        "    levels:\n      - name: never\n        when: first_name == 'nobody' and other.first_name == 'nobody'\n      - name: exact\n        when: first_name",
      ),
    );
    const result = train(synthetic(3), c, { ...TRAIN_DEFAULTS, maxIterations: 1 });
    expect(result.warnings.map((w) => [w.code, w.path.join(".")])).toEqual(
      expect.arrayContaining([
        ["train/level-unobserved", "comparisons.0.levels.0.u"],
        ["train/not-converged", "training.blocking.0"],
      ]),
    );
  });

  it("writes the numbers into the file and changes nothing else", () => {
    const c = compiled(TRAINED);
    const result = train(synthetic(5), c, TRAIN_DEFAULTS);
    const written = writeModel(TRAINED, "config/dedup/person.yaml", 0, result);
    const added = written.split("\n").filter((line) => !TRAINED.split("\n").includes(line));
    expect(
      added.every((line) => /^\s*(m|u|prior): [0-9.e-]+$/.test(line) || /\{name: exact/.test(line)),
    ).toBe(true);
    expect(written).toContain("# A model to learn.\nentity: Person # comment kept\n");
    // Trained again from the written file: the same numbers.
    const again = writeModel(
      written,
      "config/dedup/person.yaml",
      0,
      train(synthetic(5), compiled(written), TRAIN_DEFAULTS),
    );
    expect(again).toBe(written);
  });
});

describe("linkage", () => {
  const LINK = `entity: Person
link_only: true
blocking: [surname]
prior: 0.1
comparisons:
  - name: first_name
    levels:
      - { name: exact, when: first_name == other.first_name, m: 0.9, u: 0.1 }
      - { name: else, m: 0.1, u: 0.9 }
rules:
  - name: other_source_same_city
    when: source != other.source and city == other.city
    confidence: 0.6
auto_approve_threshold: 0.9
queue_threshold: 0.5
`;
  const records = [
    record("1", { first_name: "ann", surname: "lee", city: "perth" }, "crm"),
    record("2", { first_name: "ann", surname: "lee", city: "perth" }, "crm"),
    record("3", { first_name: "ann", surname: "lee", city: "perth" }, "billing"),
    record("4", { first_name: "bob", surname: "lee", city: "darwin" }, "billing"),
  ];

  it("never generates a pair within one source, and reads each record's source", () => {
    const c = compiled(LINK);
    expect(c.readsSource).toBe(true);
    const rows = records.map((r) => ({ ...r, row: { ...r.row, source: r.source } }));
    const result = findMatches(rows, { ...optionsOf(c), sources: sourceNumbers(rows), linkOnly: true });
    expect(result.compared).toBe(4); // 1–3, 1–4, 2–3, 2–4: never 1–2 or 3–4
    expect(result.matches.map((m) => `${m.a.id}-${m.b.id}:${m.rules.join()}`)).toEqual([
      "1-3:other_source_same_city",
      "2-3:other_source_same_city",
    ]);
  });

  it("keeps each record's best link per other source with one_to_one", () => {
    const c = compiled(LINK.replace("link_only: true", "link_only: true\none_to_one: true"));
    const rows = records.map((r) => ({ ...r, row: { ...r.row, source: r.source } }));
    const result = findMatches(rows, {
      ...optionsOf(c),
      sources: sourceNumbers(rows),
      linkOnly: true,
      oneToOne: true,
    });
    // 1–3 and 2–3 score alike: record 3 keeps its first, so 2 is left unlinked.
    expect(result.matches.map((m) => `${m.a.id}-${m.b.id}`)).toEqual(["1-3"]);
  });
});

describe("cluster guard", () => {
  // A chain 0–1–2–3–4 whose middle link is the weakest, and a veto elsewhere so both clustering paths run.
  const merges = [
    { i: 0, j: 1, score: 0.99 },
    { i: 1, j: 2, score: 0.95 },
    { i: 2, j: 3, score: 0.6 },
    { i: 3, j: 4, score: 0.97 },
  ];
  it.each([[[]], [[[5, 6]] as [number, number][]]])(
    "splits a chain at its weakest link, and names the merges it skipped (vetoes: %j)",
    (vetoes) => {
      const chained: number[][] = [];
      const guard = {
        maxSize: 3,
        split: true,
        chained: (m: { i: number; j: number }, size: number) => chained.push([m.i, m.j, size]),
      };
      const clusters = clusterRecords(7, mergeListOf(merges), vetoes, guard);
      expect(clusters.map((c) => c.members)).toEqual([[0, 1, 2], [3, 4], [5], [6]]);
      expect(chained).toEqual([[2, 3, 5]]);
      const flagged = clusterRecords(7, mergeListOf(merges), vetoes, {
        ...guard,
        split: false,
        chained: () => {},
      });
      expect(flagged.map((c) => c.members)).toEqual([[0, 1, 2, 3, 4], [5], [6]]);
    },
  );
});

describe("rules that only set the prior", () => {
  const PRIOR_ONLY = TRAINED.replace("    confidence: 1\n", "    confidence: 0\n    prior_only: true\n");

  it("are counted by clue train, whatever their confidence, and never used in a run", () => {
    const c = compiled(PRIOR_ONLY);
    expect(c.rules).toEqual([]);
    expect(c.priorRules.map((r) => r.name)).toEqual(["same_name_and_city"]);
    const records = synthetic(11);
    const withRule = train(records, compiled(TRAINED), TRAIN_DEFAULTS);
    const priorOnly = train(records, c, TRAIN_DEFAULTS);
    expect(priorOnly.priorFrom).toBe("rules");
    expect(priorOnly.rulePairs).toBe(withRule.rulePairs);
    expect(priorOnly.prior).toBe(withRule.prior);
  });

  it("a model without a prior stops the run with a config error, not a crash", () => {
    const c = compiled(TRAINED.replace(/rules:[\s\S]*?confidence: 1\n/, ""));
    expect(() => findMatches(synthetic(1), optionsOf(c))).toThrow(PipelineError);
    expect(() => findMatches(synthetic(1), optionsOf(c))).toThrow(/no prior: run clue train/);
  });
});

describe("cluster_guard min_density (coherence)", () => {
  // A chain 0–1–2–3–4 (each record like the next only) and a clique 5, 6, 7 (every pair matched).
  const chain = [
    { i: 0, j: 1, score: 0.99 },
    { i: 1, j: 2, score: 0.98 },
    { i: 2, j: 3, score: 0.97 },
    { i: 3, j: 4, score: 0.96 },
  ];
  const clique = [
    { i: 5, j: 6, score: 0.99 },
    { i: 5, j: 7, score: 0.99 },
    { i: 6, j: 7, score: 0.99 },
  ];
  const merges = mergeListOf([...chain, ...clique]);
  const clusters = clusterRecords(8, merges, []);

  it("splits a chained cluster along its weakest links until each part is dense enough", () => {
    const { clusters: out, incoherent } = enforceCoherence(clusters, merges, merges, 0.5, true);
    // 4 links among 5 records: 0.4. Rebuilt strongest first: 0–1–2–3 has 3 of 6 pairs (0.5); adding 4 makes 0.4.
    expect(out.map((c) => c.members)).toEqual([[0, 1, 2, 3], [4], [5, 6, 7]]);
    expect(out[0]?.confidence).toBe(0.97);
    expect(incoherent).toEqual([
      {
        members: [0, 1, 2, 3, 4],
        density: 0.4,
        weakest: { i: 3, j: 4, score: 0.96 },
        parts: [[0, 1, 2, 3], [4]],
      },
    ]);
  });

  it("counts queued links towards density, and only flags with action: flag", () => {
    // A queued 0–4 link (not a merge) closes the loop: 5 of 10 pairs linked.
    const links = mergeListOf([...chain, ...clique, { i: 0, j: 4, score: 0.9 }]);
    expect(enforceCoherence(clusters, links, merges, 0.5, true).incoherent).toEqual([]);
    const flagged = enforceCoherence(clusters, merges, merges, 0.5, false);
    expect(flagged.clusters).toEqual(clusters);
    expect(flagged.incoherent.map((c) => c.members)).toEqual([[0, 1, 2, 3, 4]]);
  });

  it("keeps every record in exactly one cluster whatever the links (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            i: fc.nat({ max: 14 }),
            j: fc.nat({ max: 14 }),
            score: fc.double({ min: 0.9, max: 1, noNaN: true }),
          }),
          {
            maxLength: 40,
          },
        ),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (pairs, density) => {
          const list = mergeListOf(pairs.filter((p) => p.i !== p.j));
          const before = clusterRecords(15, list, []);
          const { clusters: after } = enforceCoherence(before, list, list, density, true);
          expect(after.flatMap((c) => c.members).sort((a, b) => a - b)).toEqual(
            Array.from({ length: 15 }, (_, k) => k),
          );
          // Every part of three or more is dense enough.
          for (const c of after) {
            if (c.members.length < 3) continue;
            const inside = new Set<string>();
            for (const p of pairs)
              if (p.i !== p.j && c.members.includes(p.i) && c.members.includes(p.j))
                inside.add(`${Math.min(p.i, p.j)},${Math.max(p.i, p.j)}`);
            expect(inside.size / ((c.members.length * (c.members.length - 1)) / 2)).toBeGreaterThanOrEqual(
              density - 1e-12,
            );
          }
        },
      ),
    );
  });
});
