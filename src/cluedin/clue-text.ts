/** Writing clue expression text (import): quoting as clue's lexer reads it, and parenthesising compound operands. */

export function quoteClue(value: string): string {
  let out = '"';
  for (const c of value) {
    if (c === "\\" || c === '"') out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (c < " ") out += `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return `${out}"`;
}

/** A literal as clue text: strings quoted, numbers and booleans bare. */
export function clueLiteral(value: string | number | boolean | null): string {
  return typeof value === "string" ? quoteClue(value) : String(value);
}

/** Wraps an operand in parentheses unless it is atomic (a name, a literal, a call). */
export function paren(text: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*(\(.*\))?$|^"(?:[^"\\]|\\.)*"$|^-?\d[\d.eE+-]*$/s.test(text) &&
    balanced(text)
    ? text
    : `(${text})`;
}

/** `f(a) and g(b)` matches the call shape above but is not one call: its outer parentheses do not enclose it all. */
function balanced(text: string): boolean {
  if (!text.endsWith(")")) return true;
  let depth = 0;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0 && i < text.length - 1) return false;
  }
  return true;
}
