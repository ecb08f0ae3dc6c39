import type { ExprError, Span } from "./ast.js";

export type TokenKind = "number" | "string" | "ident" | "keyword" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  /** The operator or keyword, the identifier's name, or the literal's raw text. */
  text: string;
  /** The decoded value of a number or string literal. */
  value?: string | number;
  span: Span;
}

const KEYWORDS = new Set(["and", "or", "not", "in", "is", "null", "true", "false"]);
const TWO_CHAR_OPS = new Set(["==", "!=", "<=", ">="]);
const ONE_CHAR_OPS = new Set(["<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ".", "="]);
const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  "0": "\0",
};

export class LexError extends Error {
  constructor(readonly error: ExprError) {
    super(error.message);
  }
}

/** Splits an expression into tokens; throws LexError (with a span) on a character no token starts with. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, start: number, end: number, hint?: string): never => {
    throw new LexError({ code: "expr/syntax", message, span: { start, end }, ...(hint ? { hint } : {}) });
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i)) as RegExpExecArray;
      i += match[0].length;
      if (isIdentStart(text[i] ?? "")) fail(`"${text.slice(start, i + 1)}" is not a number.`, start, i + 1);
      tokens.push({ kind: "number", text: match[0], value: Number(match[0]), span: { start, end: i } });
      continue;
    }
    if (c === "'" || c === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) fail("String is not closed.", start, text.length, `Add the closing ${c}.`);
        const d = text[i] as string;
        if (d === c) break;
        if (d === "\\") {
          if (i + 1 >= text.length)
            fail("String is not closed.", start, text.length, `Add the closing ${c}.`);
          const e = text[i + 1] as string;
          if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const decoded = ESCAPES[e];
          if (decoded === undefined)
            fail(
              `Unknown escape "\\${e}" in a string.`,
              i,
              i + 2,
              "Escapes: \\n \\t \\r \\\\ \\' \\\" \\uXXXX.",
            );
          value += decoded;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      i++;
      tokens.push({ kind: "string", text: text.slice(start, i), value, span: { start, end: i } });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text[i] as string)) i++;
      const word = text.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(word) ? "keyword" : "ident", text: word, span: { start, end: i } });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: "op", text: two, span: { start, end: i + 2 } });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: "op", text: c, span: { start, end: i + 1 } });
      i++;
      continue;
    }
    const hint =
      c === "&" || c === "|"
        ? "Write `and` / `or`."
        : c === "!"
          ? "Write `not`, or `!=` to compare."
          : undefined;
    fail(`Unexpected character "${c}".`, start, start + 1, hint);
  }
  tokens.push({ kind: "eof", text: "", span: { start: text.length, end: text.length } });
  return tokens;
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}
