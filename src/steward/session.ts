import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MatchStageResult } from "../matching/match-stage.js";
import { addDecision, type StewardDecision } from "./decisions.js";
import { pairDetail, reviewQueue, type PairDetail, type QueuedPair } from "./queue.js";

/** Reads the project and the inputs again and matches them: what the session shows, made anew on reload. */
export type Matcher = () => Promise<MatchStageResult>;

export type DecideOutcome =
  | { ok: true; file: string; decision: StewardDecision | undefined }
  /** `conflict`: the pair is no longer queued, or the dedup file changed on disk; `invalid`: a bad request. */
  | { ok: false; status: "conflict" | "invalid"; message: string };

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * One steward's review of the queued pairs of a run: the queue, what was decided in this session, and the dedup file
 * the decisions go into. A decision is written only when the file on disk is still the one the queue was made from
 * (its hash); otherwise the steward is told, and reloads.
 */
export class ReviewSession {
  private matched!: MatchStageResult;
  private queue: QueuedPair[] = [];
  private byKey = new Map<string, QueuedPair>();
  /** Decided (or skipped) in this session, by pair key. */
  readonly decided = new Map<string, "merge" | "never_merge" | "skip">();
  private fileHash = "";

  constructor(
    private readonly root: string,
    private readonly match: Matcher,
    private readonly reviewer: string,
    private readonly today: () => string,
  ) {}

  /** Matches the inputs and makes the queue (again, on reload: decisions written since are applied). */
  async load(): Promise<void> {
    this.matched = await this.match();
    this.queue = reviewQueue(this.matched);
    this.byKey = new Map(this.queue.map((p) => [p.key, p]));
    this.decided.clear();
    this.fileHash = hashOf(readFileSync(this.dedupPath(), "utf8"));
  }

  /** The dedup file, relative to the project root (as diagnostics name files). */
  get dedupFile(): string {
    return this.matched.dedup.doc.file.path;
  }

  get thresholds(): { autoApprove: number; queue: number } {
    return this.matched.thresholds;
  }

  get entity(): string {
    return this.matched.dedup.spec.entity;
  }

  /** A page of the queue, with what this session decided of each. */
  page(offset: number, limit: number) {
    return {
      total: this.queue.length,
      decided: this.decided.size,
      offset,
      pairs: this.queue
        .slice(offset, offset + limit)
        .map((p) => ({ ...p, decided: this.decided.get(p.key) })),
    };
  }

  /** Where a pair is in the queue (-1 when it is not queued). */
  position(key: string): number {
    const pair = this.byKey.get(key);
    return pair === undefined ? -1 : this.queue.indexOf(pair);
  }

  detail(key: string): PairDetail | undefined {
    const pair = this.byKey.get(key);
    return pair && pairDetail(this.matched, pair);
  }

  /**
   * Records a decision: merge and never_merge are written into the dedup file's `decisions:`; skip only moves on.
   * Refused (nothing written, nothing lost: the caller still has what the steward typed) when the pair is not
   * queued or was decided already, or when the file changed on disk since the queue was made.
   */
  decide(key: string, action: string, reason: string): DecideOutcome {
    if (action !== "merge" && action !== "never_merge" && action !== "skip")
      return {
        ok: false,
        status: "invalid",
        message: `unknown action "${action}": merge, never_merge or skip`,
      };
    if (action !== "skip" && reason.trim() === "")
      return {
        ok: false,
        status: "invalid",
        message: `a ${action === "merge" ? "merge" : "never merge"} needs a reason: it is written into the dedup file beside your name, for whoever reads the decision later`,
      };
    const pair = this.byKey.get(key);
    if (!pair)
      return {
        ok: false,
        status: "conflict",
        message: `the pair ${key} is not in the review queue (any more): reload to see the queue as it is now`,
      };
    const earlier = this.decided.get(key);
    if (earlier !== undefined && earlier !== "skip")
      return {
        ok: false,
        status: "conflict",
        message: `the pair ${key} was decided already in this session (${earlier}); edit ${this.dedupFile} to change it`,
      };
    if (action === "skip") {
      this.decided.set(key, "skip");
      return { ok: true, file: this.dedupFile, decision: undefined };
    }
    const path = this.dedupPath();
    const text = readFileSync(path, "utf8");
    if (hashOf(text) !== this.fileHash)
      return {
        ok: false,
        status: "conflict",
        message: `${this.dedupFile} changed on disk since the queue was made (edited, or checked out): the decision was not written. Reload to read it again, then decide.`,
      };
    const decision: StewardDecision = {
      action,
      ids: [pair.a, pair.b],
      reviewer: this.reviewer,
      date: this.today(),
      reason,
    };
    const { doc } = this.matched.dedup;
    const written = addDecision(text, path, doc.index, decision);
    // Written whole or not at all: a temporary file renamed over the old one.
    const temporary = `${path}.clue-review-${process.pid}`;
    writeFileSync(temporary, written);
    renameSync(temporary, path);
    this.fileHash = hashOf(written);
    this.decided.set(key, action);
    return { ok: true, file: this.dedupFile, decision };
  }

  private dedupPath(): string {
    return join(this.root, this.matched.dedup.doc.file.path);
  }
}
