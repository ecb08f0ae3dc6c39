/**
 * Whether a JSON Lines text can be handed on as it is, unparsed: the DuckDB engine reads its records' values out of
 * the JSON text itself, so for such a text JSON.parse and JSON.stringify would give back the same values in the
 * same order, and cost three times this check.
 *
 * A plain text is one JSON object whose values are text without escapes, null, true or false, with distinct keys
 * that are neither `__proto__` (the JSON readers drop it) nor start with a digit (JavaScript puts integer keys first,
 * so parsing would reorder them), and no control character or backslash anywhere. Spaces may stand between tokens.
 * Anything else (numbers, nested values, escapes, tabs) is not plain and goes through JSON.parse as before: the check
 * may say no to a plain text, never yes to one that is not.
 */

/** A backslash, or a control character (raw in a string it is invalid JSON; between tokens, the parser's job). */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const SPECIAL = /[\x00-\x1f\\]/;

const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN = 123;
const CLOSE = 125;

export function isPlainJsonObject(text: string): boolean {
  if (SPECIAL.test(text)) return false;
  let i = skipSpaces(text, 0);
  if (text.charCodeAt(i) !== OPEN) return false;
  i = skipSpaces(text, i + 1);
  if (text.charCodeAt(i) === CLOSE) return skipSpaces(text, i + 1) === text.length;
  const keys: string[] = [];
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return false;
    const close = text.indexOf('"', i + 1);
    if (close === -1) return false;
    const first = text.charCodeAt(i + 1);
    if (first >= 48 && first <= 57) return false;
    const key = text.slice(i + 1, close);
    if (key === "__proto__") return false;
    // Records have a dozen keys or so: a look along the list beats hashing them into a set.
    for (let k = 0; k < keys.length; k++) if (keys[k] === key) return false;
    keys.push(key);
    i = close + 1;
    if (text.charCodeAt(i) === SPACE) i = skipSpaces(text, i);
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    if (text.charCodeAt(i) === SPACE) i = skipSpaces(text, i);
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = text.indexOf('"', i + 1);
      if (end === -1) return false;
      i = end + 1;
    } else if (text.startsWith("null", i) || text.startsWith("true", i)) i += 4;
    else if (text.startsWith("false", i)) i += 5;
    else return false;
    if (text.charCodeAt(i) === SPACE) i = skipSpaces(text, i);
    const next = text.charCodeAt(i);
    if (next === COMMA) {
      i++;
      if (text.charCodeAt(i) === SPACE) i = skipSpaces(text, i);
    } else return next === CLOSE && skipSpaces(text, i + 1) === text.length;
  }
}

function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === SPACE) i++;
  return i;
}
