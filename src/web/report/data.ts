import type { EvaluationReport } from "../../matching/evaluate-report.js";
import type { Removal } from "../../pipeline/run.js";

/** One validation's figures on the run, and at the base revision when one was given. */
export interface ValidationFigures {
  entity: string;
  rule: string;
  checked: number;
  failed: number;
  /** Share that passed; null when no record was checked (or the rule was skipped). */
  rate: number | null;
  /** The same at the base revision: undefined without --base, null when the rule was not there. */
  base?: number | null;
  maxFailRatio?: number;
  /** Over its max_fail_ratio: clue test fails on this. */
  breached: boolean;
  skipped?: string;
}

/** What a report shows: plain values a command gathered, drawn by renderReport without reading anything. */
export interface ReportData {
  /** The inputs, as given on the command line. */
  inputs: { source: string; input: string }[];
  totals: { read: number; validated: number; removed: number; deadLetters: number; rejected: number };
  validations: ValidationFigures[];
  /** The base revision the pass rates are compared with, and what kept it from being evaluated, if anything. */
  base?: { ref: string; problem?: string };
  /** Records that could not be read or processed: where and why (never their text, which may hold personal data). */
  deadLetters: { source: string; line: number; reason: string }[];
  removed: Removal[];
  matching?: {
    entity: string;
    file: string;
    records: number;
    compared: number;
    merged: number;
    queued: number;
    goldenRecords: number;
    thresholds: { autoApprove: number; queue: number };
    /** The score of every pair compared, kept or not. */
    scores: number[];
    clusterSizes: { size: number; clusters: number }[];
    blocking: {
      passes: { name: string; keyed: number; blocks: number; largest: number; pairs: number }[];
      allPairs: boolean;
      everyPair: number;
    };
    /** What the cluster guard did. */
    guard: string[];
  };
  evaluation?: EvaluationReport;
}
