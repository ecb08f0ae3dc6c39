/**
 * The stages after validation on worker threads: matching runs on the main thread over the dedup parts the workers
 * computed, and golden records are made by the workers from the rows they hold (golden.ts). `matches` and the
 * exports then render as in one thread (src/matching/later-stages.ts).
 */
import type { Project } from "../config/project.js";
import { exportName } from "../exports/export-stage.js";
import type { GoldenRecord } from "../golden/golden.js";
import { renderLaterStage, type LaterStageOptions, type LaterStageResult } from "../matching/later-stages.js";
import { passCount, type PassKeys } from "../matching/engine.js";
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
 * The costly half of matching on the workers: each gathers every record's parts, numbers the keys of its share of
 * the blocking passes, and compares its share of the candidate pairs (the blocks whose key number falls to it). What
 * findMatches makes of them here is what it makes of all the pairs in one thread: the same pairs, sorted.
 */
async function matchInWorkers(
  run: ParallelRun,
  plan: MatchPlan,
): Promise<Required<Pick<MatchStageOptions, "keyIds" | "scored">>> {
  const { participants } = run;
  const workers = run.pool.size;
  const everyWorker = Array.from({ length: workers }, (_, w) => w);
  const triples = everyWorker.map(() => [] as number[]);
  participants.kept.forEach((v, n) =>
    (triples[participants.worker[v] as number] as number[]).push(
      participants.seq[v] as number,
      participants.index[v] as number,
      n,
    ),
  );
  const records = plan.found.records.length;
  await Promise.all(
    everyWorker.map((w) =>
      run.ask(
        w,
        (seq) => ({ type: "match-parts", seq, numbers: Int32Array.from(triples[w] as number[]), records }),
        "matched-parts",
      ),
    ),
  );
  const passes = passCount(plan.options);
  const keyIds = new Array<PassKeys>(passes);
  await Promise.all(
    everyWorker.map(async (w) => {
      const mine = Array.from({ length: passes }, (_, p) => p).filter((p) => p % workers === w);
      if (mine.length === 0) return;
      const { keys } = await run.ask(w, (seq) => ({ type: "match-keys", seq, passes: mine }), "keys");
      keys.forEach((k, x) => (keyIds[mine[x] as number] = k));
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
