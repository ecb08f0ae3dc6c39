/**
 * `clue run --threads N`: the records of a run go through the pipeline on worker threads, with the output the same,
 * byte for byte, as in one thread. The main thread cuts the files into pieces (pieces.ts) and hands each to the
 * least busy worker; the workers parse and run them (unit.ts) and answer in any order; the main thread takes the
 * answers back in the pieces' order (reorder.ts) and does what depends on order: the `unique` checks against the
 * values of the whole run, counts and rule statistics, the list of removed records, dead letters, and the output.
 *
 * For the stages after validation the workers keep the rows and send their ids and dedup parts; matching runs here
 * on those parts, and golden records are made back on the workers (golden.ts), each from rows it holds or is sent.
 */
import type { Project } from "../config/project.js";
import { resourcesOf } from "../config/project.js";
import type { Value } from "../expr/types.js";
import type { DeadLetter } from "../io/record-parser.js";
import type { TextFormat } from "../io/records.js";
import { leavesOut } from "../matching/match-stage.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import {
  MAX_LISTED_REMOVALS,
  newRunStats,
  type OutputRow,
  type RunInput,
  type RunStats,
  type Stage,
} from "../pipeline/run.js";
import type { PreparedRun } from "../pipeline/session.js";
import {
  issueOf,
  newStats,
  type CompiledValidation,
  type Issue,
  type RuleStats,
} from "../pipeline/validation.js";
import { filePieces, type Piece } from "./pieces.js";
import { Pool } from "./pool.js";
import { projectFingerprint } from "./project.js";
import {
  receivedError,
  type FromWorker,
  type LaterFacts,
  type SentOutcome,
  type ToWorker,
} from "./protocol.js";
import { Reorder } from "./reorder.js";
import { laterFacts, runUnit, type UnitMode } from "./unit.js";

export interface ParallelRunOptions {
  root: string;
  project: Project;
  threads: number;
  stage: Stage;
  /** `text`: rows are written as JSON Lines as they come; `rows`: kept on the workers for matching. */
  mode: UnitMode;
  /** The stage asked for (a pipeline stage, or one after validation). */
  requested: string;
  /** One file per prepared input, and its format when the command line or the mapping names it. */
  files: readonly { path: string; format: TextFormat | undefined }[];
  /** `text` mode: where rows go (as text, or as UTF-8 bytes). */
  write?: (text: string | Uint8Array) => void | Promise<void>;
  /** A record that could not be parsed. */
  onDeadLetter(input: number, letter: DeadLetter): void;
  /** A record the pipeline rejected (see RunOptions.onRecordError). */
  onRecordError(input: number, line: number, reason: string): void;
  onProgress?(read: number): void;
}

/** The validated records of a run, as the main thread knows them for matching (their rows stay on the workers). */
export interface Participants {
  /**
   * Stand-ins for the validated rows, in order: each record's pipeline, its id, and (for a record validation
   * leaves out of matching) an issue that says so.
   */
  validated: { pipeline: SourcePipeline; row: OutputRow }[];
  /**
   * Each record's dedup part values, when the main thread describes pairs (filled in as workers send them); else
   * none (matching runs on the workers, which keep them). None for a record left out.
   */
  partRows: (Value[] | undefined)[];
  /** Where each record's row is: its worker, and the piece and place in it. */
  worker: number[];
  seq: number[];
  index: number[];
  /** The records that take part in matching (by their place in `validated`), in order. */
  kept: number[];
}

/** The parts of a record on the main thread when it does not describe pairs: matching runs on the workers. */
const NO_PARTS: Value[] = [];

/** Marks a stand-in row as left out of matching (its issues reject or quarantine it). */
const LEFT_OUT: Issue[] = [{ rule: "", severity: "high", action: "reject" }];

/** Pieces in flight per worker: enough to keep each busy while the main thread takes answers back. */
const PIECES_PER_WORKER = 4;
const PROGRESS_EVERY = 10_000;

type Taken =
  | { kind: "worker"; seq: number; worker: number; outcome: SentOutcome; later: LaterFacts | undefined }
  | { kind: "local"; seq: number; piece: Extract<Piece, { kind: "records" }> };

export class ParallelRun {
  readonly participants: Participants = {
    validated: [],
    partRows: [],
    worker: [],
    seq: [],
    index: [],
    kept: [],
  };
  private readonly order = new Reorder<Taken>();
  private readonly inputOf: number[] = [];
  /** Rows run here, sent to a worker to keep: their part values arrive later, for these participants. */
  private readonly storing = new Map<number, { slots: number[]; done: () => void }>();
  private readonly stored: Promise<void>[] = [];
  /** Per input: the validations (by index) of its `unique` checks, in the order of its seen sets. */
  private readonly uniqueRules: number[][];
  private readonly stats: RunStats = newRunStats();
  private failure: Error | undefined;
  /** Whether rows' dedup parts come to the main thread (see WorkerInit.partsToMain). */
  private readonly partsToMain: boolean;
  /** What waits on the workers' answers: all of it fails when a worker does. */
  private readonly orders: { abort(error: Error): void }[] = [this.order];

  private constructor(
    readonly pool: Pool,
    private readonly options: ParallelRunOptions,
    private readonly inputs: readonly RunInput[],
    partsToMain: boolean,
  ) {
    this.uniqueRules = inputs.map(({ pipeline }) => uniqueRulesOf(options.project, pipeline));
    this.partsToMain = partsToMain;
    pool.onMessage = (worker, message) => this.received(worker, message);
    pool.onFailure = (error) => {
      this.failure ??= error;
      for (const order of this.orders) order.abort(error);
      for (const { reject } of this.asked.values()) reject(error);
      this.asked.clear();
      for (const { done } of this.storing.values()) done();
    };
  }

  /** Starts the workers: each reads the project and compiles the inputs' pipelines before any piece is sent. */
  static async start(options: ParallelRunOptions, prepared: PreparedRun): Promise<ParallelRun> {
    const partsToMain = describesPairs(
      options.project,
      prepared.inputs[0]?.pipeline.entity,
      options.requested,
    );
    const pool = await Pool.start(options.threads, {
      root: options.root,
      fingerprint: projectFingerprint(options.project),
      stage: options.stage,
      mode: options.mode,
      partsToMain,
      inputs: prepared.inputs.map(({ pipeline }, i) => ({
        source: pipeline.source,
        entity: pipeline.entity,
        path: options.files[i]?.path ?? "",
        csv: pipeline.csv,
      })),
      entityValues: [...prepared.entityValues].map(([key, values]) => [key, [...values]]),
    });
    try {
      const run = new ParallelRun(pool, options, prepared.inputs, partsToMain);
      prepared.inputs.forEach((input, i) => {
        const expected = run.uniqueRules[i]?.length ?? 0;
        if ((input.seenSets?.length ?? 0) !== expected || pool.uniqueChecks[i] !== expected)
          throw new Error(
            `the unique checks of ${input.pipeline.source} could not be told apart for worker threads`,
          );
      });
      return run;
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  /** Another wait on the workers' answers, to fail with them. */
  watch(order: { abort(error: Error): void }): void {
    if (this.failure) order.abort(this.failure);
    this.orders.push(order);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Reads every input through the pipeline; the same statistics as runPipeline's. */
  async records(): Promise<RunStats> {
    const limit = this.pool.size * PIECES_PER_WORKER;
    for (let i = 0; i < this.inputs.length; i++) {
      const { pipeline } = this.inputs[i] as RunInput;
      const file = this.options.files[i] as ParallelRunOptions["files"][number];
      this.rulesOf(pipeline);
      try {
        for await (const piece of filePieces(file.path, { format: file.format, csv: pipeline.csv })) {
          if (this.failure) throw this.failure;
          const seq = this.order.issue();
          this.inputOf[seq] = i;
          if (piece.kind === "records") this.order.deliver(seq, { kind: "local", seq, piece });
          else {
            const { kind: _kind, ...text } = piece;
            this.pool.send(this.pool.idlest(), { type: "text", seq, input: i, ...text });
          }
          while (this.order.pending >= limit) await this.takeNext();
        }
      } catch (error) {
        // What was read before the error is written first, as one thread would have.
        while (this.order.pending > 0) await this.takeNext();
        throw error;
      }
    }
    while (this.order.pending > 0) await this.takeNext();
    await Promise.all(this.stored);
    if (this.failure) throw this.failure;
    return this.stats;
  }

  private received(worker: number, message: FromWorker): void {
    this.pool.answered(worker);
    if (message.type === "unit")
      this.order.deliver(message.seq, {
        kind: "worker",
        seq: message.seq,
        worker,
        outcome: message.outcome,
        later: message.later,
      });
    else if (message.type === "stored") {
      const storing = this.storing.get(message.seq);
      if (!storing) return;
      this.storing.delete(message.seq);
      storing.slots.forEach((slot, k) => {
        const parts = message.later.parts[k];
        if (slot === -1 || parts === undefined) return;
        if (typeof parts === "string") this.failure ??= new Error(parts);
        else this.participants.partRows[slot] = parts;
      });
      storing.done();
    } else if (message.type === "keys" || message.type === "scored") {
      const asked = this.asked.get(message.seq);
      this.asked.delete(message.seq);
      asked?.resolve(message);
    } else this.onGolden?.(worker, message);
  }

  /** Asks a worker something it answers once (matching's steps); the answer, or the failure of any worker. */
  ask<T extends FromWorker["type"]>(
    worker: number,
    question: (seq: number) => ToWorker,
    answer: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    const seq = this.questions++;
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.asked.set(seq, {
        resolve: (message) => {
          if (message.type === answer) resolve(message as Extract<FromWorker, { type: T }>);
          else reject(new Error(`worker thread ${worker + 1} answered ${message.type}, not ${answer}`));
        },
        reject,
      });
      this.pool.send(worker, question(seq));
    });
  }

  private readonly asked = new Map<
    number,
    { resolve: (message: FromWorker) => void; reject: (error: Error) => void }
  >();
  private questions = 0;

  /** Golden records' answers go here (golden.ts). */
  onGolden: ((worker: number, message: FromWorker) => void) | undefined;

  private async takeNext(): Promise<void> {
    const taken = await this.order.next();
    const { seq } = taken;
    const i = this.inputOf[seq] as number;
    const input = this.inputs[i] as RunInput;
    if (taken.kind === "worker") {
      await this.apply(i, seq, taken.outcome, taken.later, taken.worker, false);
      if (taken.outcome.error) throw receivedError(taken.outcome.error);
      return;
    }
    // Records parsed here run here too, at their turn: their `unique` checks use the run's sets directly.
    const { rows, error, ...outcome } = await runUnit(
      input.pipeline,
      taken.piece.records,
      taken.piece.deadLetters,
      this.options.stage,
      this.options.mode,
      [],
    );
    let later: LaterFacts | undefined;
    let worker = -1;
    if (this.options.mode === "rows" && rows.length > 0) {
      // A worker keeps them, for golden records, and computes their parts.
      later = laterFacts(input.pipeline, rows, undefined, undefined);
      worker = this.pool.idlest();
      this.pool.send(worker, { type: "store", seq, input: i, rows });
    }
    await this.apply(i, seq, outcome, later, worker, this.partsToMain);
    if (error !== undefined) throw error as Error;
  }

  /** A piece's outcome, taken in order: what one thread would have done with its records. */
  private apply(
    i: number,
    seq: number,
    outcome: Omit<SentOutcome, "error">,
    later: LaterFacts | undefined,
    worker: number,
    partsToCome: boolean,
  ): void | Promise<void> {
    const { options, stats } = this;
    const { pipeline, seenSets = [] } = this.inputs[i] as RunInput;
    for (const letter of outcome.deadLetters) options.onDeadLetter(i, letter);
    const before = stats.read;
    stats.read += outcome.read;
    if (options.onProgress && Math.floor(before / PROGRESS_EVERY) !== Math.floor(stats.read / PROGRESS_EVERY))
      options.onProgress(stats.read);
    stats.written += outcome.written;
    stats.removedCount += outcome.removedCount;
    stats.rejected += outcome.rejected;
    for (const removal of outcome.removed)
      if (stats.removed.length < MAX_LISTED_REMOVALS) stats.removed.push(removal);
    const rules = this.rulesOf(pipeline);
    for (const [rule, checked, failed] of outcome.rules) {
      const s = rules.get(rule) as RuleStats;
      s.checked += checked;
      s.failed += failed;
    }
    // The values unique checks saw, against everything the run saw before them.
    let failedRules: Map<number, number[]> | undefined;
    const { check, key, row } = outcome.unique;
    const uniqueRules = this.uniqueRules[i] as number[];
    for (let u = 0; u < check.length; u++) {
      const k = check[u] as number;
      if (!(seenSets[k] as (typeof seenSets)[number]).addAndCheck(key[u] as string)) continue;
      const validation = uniqueRules[k] as number;
      (rules.get(pipeline.validations[validation]?.rule ?? "") as RuleStats).failed++;
      const r = row[u] as number;
      if (r < 0) continue;
      failedRules ??= new Map();
      const list = failedRules.get(r);
      if (list) list.push(validation);
      else failedRules.set(r, [validation]);
    }
    for (const { line, reason } of outcome.rejections) options.onRecordError(i, line, reason);
    if (later) this.takePart(i, seq, worker, later, failedRules, partsToCome);
    if (options.mode !== "text") return undefined;
    if (outcome.bytes) return options.write?.(outcome.bytes);
    const text = failedRules ? withIssues(outcome, failedRules, pipeline) : outcome.text;
    return text === "" ? undefined : options.write?.(text);
  }

  /** The written rows of a piece, for matching. */
  private takePart(
    i: number,
    seq: number,
    worker: number,
    later: LaterFacts,
    failedRules: Map<number, number[]> | undefined,
    partsToCome: boolean,
  ): void {
    const { pipeline } = this.inputs[i] as RunInput;
    const out = new Set(later.excluded);
    const { participants } = this;
    const slots: number[] = [];
    later.ids.forEach((id, k) => {
      const failed = failedRules?.get(k);
      const leftOut =
        out.has(k) ||
        failed?.some((v) => leavesOut([issueOf(pipeline.validations[v] as CompiledValidation)]));
      const v = participants.validated.length;
      const row: OutputRow = pipeline.idField === undefined ? {} : { [pipeline.idField]: id };
      if (leftOut) row._issues = LEFT_OUT;
      participants.validated.push({ pipeline, row });
      participants.worker.push(worker);
      participants.seq.push(seq);
      participants.index.push(k);
      const parts = later.parts[k];
      if (typeof parts === "string" && !leftOut) throw new Error(parts);
      participants.partRows.push(leftOut ? undefined : Array.isArray(parts) ? parts : NO_PARTS);
      slots.push(leftOut ? -1 : v);
      if (!leftOut) participants.kept.push(v);
    });
    if (partsToCome) this.stored.push(new Promise((done) => this.storing.set(seq, { slots, done })));
  }

  private rulesOf(pipeline: SourcePipeline): Map<string, RuleStats> {
    let rules = this.stats.rules.get(pipeline.entity);
    if (!rules) {
      rules = newStats(pipeline.validations);
      this.stats.rules.set(pipeline.entity, rules);
    }
    return rules;
  }
}

/**
 * A piece's text with the issues of `unique` checks that failed added to their rows, in the order of the rules (the
 * worker could not know the run had seen those values before).
 */
function withIssues(
  outcome: Omit<SentOutcome, "error">,
  failed: Map<number, number[]>,
  pipeline: SourcePipeline,
): string {
  const { text, spans, spanRules } = outcome;
  let out = "";
  let from = 0;
  for (let s = 0; s < spans.length; s += 5) {
    const rules = failed.get(spans[s] as number);
    if (!rules) continue;
    const issuesStart = spans[s + 2] as number;
    const issuesEnd = spans[s + 3] as number;
    const all = [...(spanRules[s / 5] as number[]), ...rules].sort((a, b) => a - b);
    const issues = all.map((v) => issueOf(pipeline.validations[v] as CompiledValidation));
    out += text.slice(from, issuesStart) + JSON.stringify(issues);
    from = issuesEnd;
  }
  return out + text.slice(from);
}

/**
 * Whether the main thread describes matched pairs (their rules and waterfall, from their parts): for the matches
 * stage, and for a cluster guard's report. Other stages need no parts there.
 */
function describesPairs(project: Project, entity: string | undefined, requested: string): boolean {
  const dedup = resourcesOf(project, "dedup").find((d) => d.spec.entity === entity);
  return requested === "matches" || dedup?.spec.cluster_guard !== undefined;
}

/** The validations (by index among the pipeline's) whose check is `unique`, as compileSource orders them. */
function uniqueRulesOf(project: Project, pipeline: SourcePipeline): number[] {
  const specs = resourcesOf(project, "validation").filter((v) => v.spec.entity === pipeline.entity);
  const same =
    specs.length === pipeline.validations.length &&
    specs.every((v, k) => v.spec.rule === pipeline.validations[k]?.rule);
  if (!same)
    throw new Error(`the validations of ${pipeline.entity} could not be told apart for worker threads`);
  return specs.flatMap((v, k) => (Object.keys(v.spec.check)[0] === "unique" ? [k] : []));
}
