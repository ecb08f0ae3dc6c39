/**
 * Compiled patterns for the regex functions. Patterns usually are literals in an expression that runs over
 * millions of records, so each pattern string is compiled (and checked) once and then reused.
 */
import { checkRegex } from "../../lint/regex-safety.js";

/** Enough for every literal pattern in a project; a pattern built from data could otherwise grow it forever. */
const MAX_CACHED = 1000;

const cache = new Map<string, RegExp | null>();

/**
 * The pattern compiled with the "u" flag (as validation regexes are, so `\p{L}` and "Zoë" work by code point),
 * plus "g" when asked; null when it does not compile or can backtrack catastrophically. The second check is
 * what lets the functions promise never to hang: a pattern may come from data, where no linter saw it.
 */
export function compileRegex(pattern: string, global = false): RegExp | null {
  const flags = global ? "gu" : "u";
  const key = `${flags}/${pattern}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const compiled = checkRegex(pattern, "u") === undefined ? tryCompile(pattern, flags) : null;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function tryCompile(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}
