/**
 * Every pattern a user writes (a `regex` check, a regex function's argument, a pattern that arrives in data) is
 * compiled here, onto re2js: a pure-JavaScript port of RE2, whose matching time is linear in the input whatever the
 * pattern. No pattern can backtrack, so there is nothing catastrophic left to detect.
 */
import { RE2JS, RE2JSException } from "re2js";
import { asciiSequenceMatcher } from "./ascii-sequence.js";
import { translate, withinRe2Limits, type RegexProblem } from "./translate.js";

export type { RegexProblem } from "./translate.js";

/** A compiled pattern. Matching is stateless: one instance serves every call. */
export interface CompiledRegex {
  /** Whether the pattern matches anywhere in text. */
  test(text: string): boolean;
  /** The first match and its groups (null for a group that took no part), or null. */
  exec(text: string): (string | null)[] | null;
  /** Every match replaced as String.prototype.replace does: `$1`, `$<name>`, `$&`, `` $` ``, `$'`, `$$`. */
  replaceAll(text: string, replacement: string): string;
}

export type Compiled = { ok: true; regex: CompiledRegex } | { ok: false; problem: RegexProblem };

/** Enough for every literal pattern in a project; a pattern built from data could otherwise grow it forever. */
const MAX_CACHED = 1000;

/** Patterns repeat across files and run over millions of records: each is translated and compiled once. */
const cache = new Map<string, Compiled>();

export function compilePattern(pattern: string): Compiled {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const compiled = compileUncached(pattern);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/** Patterns found to compile by `checkPattern` without compiling them. */
const checked = new Set<string>();

/**
 * Why the pattern cannot run, or undefined when it can. What validation asks: a pattern well inside RE2's limits
 * is only translated, since building its program (about three quarters of the cost) is certain to succeed.
 */
export function checkPattern(pattern: string): RegexProblem | undefined {
  if (checked.has(pattern)) return undefined;
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached.ok ? undefined : cached.problem;
  const translated = translate(pattern);
  if (translated.ok && withinRe2Limits(translated.source, translated.shape)) {
    if (checked.size >= MAX_CACHED) checked.clear();
    checked.add(pattern);
    return undefined;
  }
  const compiled = compilePattern(pattern);
  return compiled.ok ? undefined : compiled.problem;
}

/** The compiled pattern, or null when it does not compile or RE2 cannot run it (the regex functions' null). */
export function compileRegex(pattern: string): CompiledRegex | null {
  const compiled = compilePattern(pattern);
  return compiled.ok ? compiled.regex : null;
}

function compileUncached(pattern: string): Compiled {
  const translated = translate(pattern);
  if (!translated.ok) return translated;
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated.source);
  } catch (error) {
    // The translation writes only syntax RE2 has, so what is left are RE2's size limits, which concern the
    // pattern as a whole.
    if (!(error instanceof RE2JSException) && !(error instanceof RangeError)) throw error;
    return { ok: false, problem: limitProblem(pattern, error) };
  }
  return { ok: true, regex: wrap(re, pattern) };
}

function limitProblem(pattern: string, error: Error): RegexProblem {
  const text = "error" in error && typeof error.error === "string" ? error.error : error.message;
  const what = text.includes("repeat count")
    ? "repetitions inside repetitions whose counts multiply past RE2's limit"
    : text.includes("nests too deeply") || error instanceof RangeError
      ? "groups nested more than 1,000 deep"
      : `a pattern RE2 cannot compile (${text})`;
  return {
    kind: "unsupported",
    message: what,
    offset: 0,
    length: pattern.length,
    hint: "Simplify the pattern: RE2 keeps the whole pattern in a bounded program (at most 1,000 repetitions of any part, nesting at most 1,000 deep).",
  };
}

/** A pattern tested this often is worth the fast path's few hundred RE2 tests of single characters. */
const FAST_PATH_AFTER = 32;

function wrap(re: RE2JS, pattern: string): CompiledRegex {
  let calls = 0;
  const slow = (text: string) => re.test(text);
  // RE2 until the pattern has been tested often; then the ASCII fast path, if the pattern has its shape.
  let test = (text: string): boolean => {
    if (++calls === FAST_PATH_AFTER) {
      const fast = asciiSequenceMatcher(pattern, asciiMembers);
      test = fast === undefined ? slow : (t) => fast(t) ?? slow(t);
    }
    return slow(text);
  };
  return {
    test: (text) => test(text),
    exec: (text) => {
      const match = re.exec(text) as (string | undefined)[] | null;
      return match === null ? null : Array.from(match, (group) => group ?? null);
    },
    replaceAll: (text, replacement) => re.matcher(text).replaceAll(replacement),
  };
}

/**
 * Which ASCII characters one item of a pattern matches, as RE2 reads it: `^(?:atom)$` tested on each character
 * alone (ascii-sequence.ts builds its automaton on these answers).
 */
function asciiMembers(atom: string): Uint8Array | undefined {
  const translated = translate(`^(?:${atom})$`);
  if (!translated.ok) return undefined;
  let re: RE2JS;
  try {
    re = RE2JS.compile(translated.source);
  } catch {
    return undefined;
  }
  const members = new Uint8Array(128);
  for (let c = 0; c < 128; c++) members[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return members;
}
