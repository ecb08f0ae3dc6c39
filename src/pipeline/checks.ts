import { equals, MAX_REGEX_INPUT, parseDecimal, textOf, type Value } from "../expr/types.js";
import { compilePattern } from "../regex/compile.js";
import type { Check } from "../types/generated/validation.js";
import { PipelineError } from "./pipeline-error.js";
import { createSeenSet, type SeenSet } from "./seen-set.js";

/** What a check needs from the run: reference data, resolved before records stream. */
export interface CheckContext {
  /** The accepted values of a `reference` check, or undefined when they are not available in this run. */
  referenceValues(check: NonNullable<Check["reference"]>): ReadonlySet<string> | undefined;
  /**
   * Where a `unique` check keeps the values it has seen (a new set per check by default). A worker thread, which
   * sees only part of the records, passes one that records each value for the main thread to check in order.
   */
  seenSet?: () => SeenSet;
}

/**
 * A compiled check: true passes, false fails. `unique` is stateful (it remembers the values seen), so a compiled
 * check belongs to one run.
 */
export type CheckFn = (value: Value, record: Readonly<Record<string, unknown>>) => boolean;

interface CheckDef {
  /** Null passes every check but the ones whose job is presence (SPEC section 4, as in dbt and Great Expectations). */
  checksNull: boolean;
  compile(spec: Check, context: CheckContext): CheckFn;
}

/** No format allows a value this long; checking the length first keeps every format test linear-time in practice. */
const MAX_FORMAT_LENGTH = 2048;

const FORMATS: Record<string, (text: string) => boolean> = {
  email: (t) => t.length <= 254 && /^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(t),
  e164: (t) => /^\+[1-9]\d{1,14}$/.test(t),
  uuid: (t) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t),
  date: (t) => /^\d{4}-\d{2}-\d{2}$/.test(t) && isRealDate(t),
  datetime: (t) =>
    /^\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d(:([0-5]\d|60)(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/.test(
      t,
    ) && isRealDate(t.slice(0, 10)),
  url: (t) => {
    try {
      const url = new URL(t);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  },
};

function isRealDate(ymd: string): boolean {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function asNumber(value: Value): number | undefined {
  if (typeof value === "number") return value;
  // Strict decimals only: "0x10" or "0b1" are not 16 and 1 in a data set.
  return typeof value === "string" ? parseDecimal(value) : undefined;
}

function within(n: number, bounds: { min?: number; max?: number }): boolean {
  return (bounds.min === undefined || n >= bounds.min) && (bounds.max === undefined || n <= bounds.max);
}

/** The validation checks of SPEC section 3, one entry each. `expr` is compiled by the pipeline, which owns expressions. */
export const checks: Record<Exclude<keyof Check, "expr">, CheckDef> = {
  required: { checksNull: true, compile: () => (v) => v !== null },
  not_blank: {
    checksNull: true,
    compile: () => (v) => v !== null && !(Array.isArray(v) && v.length === 0) && textOf(v).trim() !== "",
  },
  regex: {
    checksNull: false,
    compile: (spec) => {
      const pattern = spec.regex as string;
      const compiled = compilePattern(pattern);
      // Lint reports such a pattern; if its finding was suppressed, the check still cannot pass or fail anything.
      if (!compiled.ok)
        throw new PipelineError(
          `the regex ${JSON.stringify(pattern)} cannot run: ${compiled.problem.message} ` +
            `(clue validate reports it as regex/${compiled.problem.kind === "syntax" ? "invalid" : "unsupported"} unless suppressed)`,
        );
      const re = compiled.regex;
      // A value longer than regexes look at fails: it is not the value the pattern describes either.
      return (v) => {
        const text = textOf(v);
        return text.length <= MAX_REGEX_INPUT && re.test(text);
      };
    },
  },
  enum: {
    checksNull: false,
    compile: (spec) => {
      const accepted = (spec.enum ?? []) as Value[];
      // Text is looked up among the text values, then compared with the others (it can equal a number: "042" ==
      // 42); any other value is compared with each, as `==` does.
      const texts = new Set(accepted.filter((a): a is string => typeof a === "string"));
      const others = accepted.filter((a) => typeof a !== "string");
      return (v) =>
        typeof v === "string"
          ? texts.has(v) || others.some((a) => equals(v, a) === true)
          : accepted.some((a) => equals(v, a) === true);
    },
  },
  range: {
    checksNull: false,
    compile: (spec) => (v) => {
      const n = asNumber(v);
      return n !== undefined && within(n, spec.range ?? {});
    },
  },
  length: {
    checksNull: false,
    compile: (spec) => (v) => {
      const text = textOf(v);
      let count = 0;
      // Code points, not UTF-16 units: "Zoë" is 3, an emoji is 1.
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0xdc00 || c > 0xdfff) count++;
      }
      return within(count, spec.length ?? {});
    },
  },
  format: {
    checksNull: false,
    compile: (spec) => {
      const test = FORMATS[spec.format as string] as (text: string) => boolean;
      return (v) => typeof v === "string" && v.length <= MAX_FORMAT_LENGTH && test(v);
    },
  },
  unique: {
    checksNull: false,
    compile: (_spec, context) => {
      const seen = context.seenSet?.() ?? createSeenSet();
      // Typed keys: the number 1 and the text "1" are different values. Text is its own key (no new string to
      // make and hash) unless it starts with U+0000, which marks the keys of the rest: "\0s" + such text, "\0o" +
      // the JSON of any other value.
      return (v) =>
        !seen.addAndCheck(
          typeof v === "string" ? (v.charCodeAt(0) === 0 ? `\u0000s${v}` : v) : `\u0000o${JSON.stringify(v)}`,
        );
    },
  },
  reference: {
    checksNull: false,
    compile: (spec, context) => {
      const accepted = context.referenceValues(spec.reference as NonNullable<Check["reference"]>);
      // Without the referenced data in this run the check cannot say no; the run reports it as skipped.
      if (!accepted) return () => true;
      return (v) => accepted.has(textOf(v));
    },
  },
};
