/**
 * The stages after validation on worker threads: matching runs on the main thread over the dedup parts the workers
 * computed, and golden records are made by the workers from the rows they hold (golden.ts). `matches` and the
 * exports then render as in one thread (src/matching/later-stages.ts).
 */
import type { Project } from "../config/project.js";
import { exportName } from "../exports/export-stage.js";
import type { GoldenRecord } from "../golden/golden.js";
import { renderLaterStage, type LaterStageOptions, type LaterStageResult } from "../matching/later-stages.js";
import { passParts } from "../matching/engine.js";
import type { KeyNumbers } from "../matching/key-numbers.js";
import { matchPlan, matchStage, type MatchPlan, type MatchStageOptions } from "../matching/match-stage.js";
import { projectContext } from "../pipeline/session.js";
import { goldenLines, goldenRecords } from "./golden.js";
import type { ParallelRun } from "./run.js";

export interface ParallelLaterStage {
  result: LaterStageResult;
  /** The golden stage: its rows as JSON Lines in UTF-8, made by the workers (`result.rows` is then empty). */
  lines?: AsyncIterable<Uint8Array>;
  /** How many rows `lines` holds. */
  count?: number;
}

export async function parallelLaterStage(
  run: ParallelRun,
  project: Project,
  stage: string,
  options: LaterStageOptions,
  /** Whatever takes the golden stage's text writes it before asking for more (a file; not a pipe). */
  writesAtOnce = false,
): Promise<ParallelLaterStage> {
  const { validated, partRows } = run.participants;
  const context = projectContext(project);
  const plan = matchPlan(project, validated, context);
  if (!plan) return { result: renderLaterStage(project, stage, validated, options) };
  const scored = await matchInWorkers(run, plan);
  let golden: GoldenRecord[] | undefined;
  const matched = matchStage(project, validated, context, {
    plan,
    ...scored,
    partRows,
    goldenRecords: () => {
      if (golden === undefined)
        throw new Error("golden records are asked for before the worker threads made them");
      return golden;
    },
  });
  if (!matched) throw new Error("matching was planned but found no dedup rules");
  if (stage === "golden") {
    const clusters = matched.clusters();
    return {
      result: { ok: true, rows: [], matched },
      lines: goldenLines(run, clusters, writesAtOnce),
      count: clusters.length,
    };
  }
  if (exportName(stage) !== undefined) golden = await goldenRecords(run, matched.clusters());
  return { result: renderLaterStage(project, stage, validated, { ...options, matched }) };
}

/**
 * The costly half of matching on the workers. Each numbers the keys of its share of the blocking passes (from the
 * parts they read, which the others send it), then compares its share of the candidate pairs (the blocks whose key
 * number falls to it) once it has the whole parts of their records. What findMatches makes of them here is what it
 * makes of all the pairs in one thread: the same pairs, sorted.
 */
async function matchInWorkers(
  run: ParallelRun,
  plan: MatchPlan,
): Promise<Required<Pick<MatchStageOptions, "keyIds" | "scored">>> {
  const { participants } = run;
  const workers = run.pool.size;
  const everyWorker = Array.from({ length: workers }, (_, w) => w);
  const records = plan.found.records.length;
  // Record n of matching is participants' record kept[n].
  const owner = (n: number) => participants.worker[participants.kept[n] as number] as number;
  const triple = (n: number) => {
    const v = participants.kept[n] as number;
    return [participants.seq[v] as number, participants.index[v] as number, n];
  };
  const own = everyWorker.map(() => [] as number[]);
  for (let n = 0; n < records; n++) (own[owner(n)] as number[]).push(...triple(n));

  // Each worker numbers passes p with p % workers = its index, from the parts they read (and the model's term
  // frequencies, which every worker computes over all records). A pass reading something else than parts, or
  // comparing every pair, takes every part of every record.
  const parts = plan.options.parts?.length ?? 0;
  const passParts_ = passParts(plan.options);
  const everything = passParts_.length === 0 || passParts_.some((p) => p === undefined);
  const tf = (plan.found.compiled.model?.comparisons ?? []).flatMap((c) =>
    c.tfPart === undefined ? [] : [c.tfPart],
  );
  const passesOf = (w: number) => passParts_.flatMap((_, p) => (p % workers === w ? [p] : []));
  const columns = everyWorker.map((w) =>
    everything
      ? Array.from({ length: parts }, (_, k) => k)
      : [...new Set([...passesOf(w).flatMap((p) => passParts_[p] ?? []), ...tf])].sort((a, b) => a - b),
  );
  const keyIds = new Array<KeyNumbers>(passParts_.length);
  await Promise.all(
    everyWorker.map(async (w) => {
      const passes = passesOf(w);
      const { keys } = await run.ask(
        w,
        (seq) => ({
          type: "match-keys",
          seq,
          numbers: Int32Array.from(own[w] as number[]),
          records,
          columns,
          passes,
        }),
        "keys",
      );
      keys.forEach((k, x) => (keyIds[passes[x] as number] = k));
    }),
  );

  // The records each worker compares, in the blocks that fall to it (every record when every pair is compared),
  // and which of them another worker holds.
  const needs = everyWorker.map(() => new Uint8Array(records));
  if (passParts_.length === 0) needs.forEach((need) => need.fill(1));
  for (const { ids } of keyIds) {
    const sizes = new Int32Array(ids.reduce((max, id) => Math.max(max, id + 1), 0));
    for (const id of ids) if (id !== -1) sizes[id] = (sizes[id] as number) + 1;
    for (let n = 0; n < records; n++) {
      const id = ids[n] as number;
      if (id !== -1 && (sizes[id] as number) > 1) (needs[id % workers] as Uint8Array)[n] = 1;
    }
  }
  const send = everyWorker.map((v) =>
    everyWorker
      .filter((w) => w !== v)
      .map((w) => {
        const rows: number[] = [];
        const need = needs[w] as Uint8Array;
        for (let n = 0; n < records; n++) if (need[n] === 1 && owner(n) === v) rows.push(...triple(n));
        return { worker: w, rows: Int32Array.from(rows) };
      }),
  );
  const { merge, neverMerge, sources } = plan.options;
  const shares = await Promise.all(
    everyWorker.map((w) =>
      run.ask(
        w,
        (seq) => ({
          type: "match-score",
          seq,
          keyIds,
          share: { of: workers, index: w },
          merge: [...merge],
          neverMerge: [...neverMerge],
          sources,
          send: send[w] as { worker: number; rows: Int32Array }[],
        }),
        "scored",
      ),
    ),
  );
  return {
    keyIds,
    scored: { pairs: shares.map((s) => s.pairs), compared: shares.reduce((n, s) => n + s.compared, 0) },
  };
}
