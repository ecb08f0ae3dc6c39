import type { Argument, BinaryOp, ExprError, Node, Span } from "./ast.js";
import { LexError, tokenize, type Token } from "./lexer.js";

/** Longer expressions belong in code, not config; the bound also keeps parsing cheap on hostile input. */
export const MAX_EXPRESSION_LENGTH = 4096;
/** Deepest nesting of calls, lists and parentheses: far beyond real rules, far below the stack's limit. */
export const MAX_DEPTH = 64;

export type ParseResult = { ok: true; node: Node } | { ok: false; error: ExprError };

class ParseError extends Error {
  constructor(readonly error: ExprError) {
    super(error.message);
  }
}

/** Binding power of infix operators, lowest first (Pratt parsing). Comparisons do not chain. */
const INFIX: Record<string, number> = {
  or: 1,
  and: 2,
  "==": 4,
  "!=": 4,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  in: 4,
  is: 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};
const NOT_POWER = 3;
const UNARY_MINUS_POWER = 7;

/**
 * Projects repeat expressions (the same `lower(trim(email))` in many files), and lint, blocking-key derivation and
 * compilation each parse them: results are memoised. Trees are never mutated, so sharing them is safe.
 */
const memo = new Map<string, ParseResult>();

/** Parses an expression into a tree whose every node carries its span. Never throws. */
export function parse(text: string): ParseResult {
  const known = memo.get(text);
  if (known) return known;
  const result = parseUncached(text);
  if (memo.size >= 10_000) memo.clear();
  memo.set(text, result);
  return result;
}

function parseUncached(text: string): ParseResult {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return fail(
      "expr/too-complex",
      `Expression is ${text.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}.`,
      0,
      text.length,
    );
  }
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (error instanceof LexError) return { ok: false, error: error.error };
    throw error;
  }
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos] as Token;
  const next = (): Token => tokens[pos++] as Token;
  const is = (text: string) => (peek().kind === "op" || peek().kind === "keyword") && peek().text === text;
  const error = (message: string, span: Span, hint?: string): never => {
    throw new ParseError({ code: "expr/syntax", message, span, ...(hint ? { hint } : {}) });
  };
  const expect = (text: string, what: string): Token => {
    if (is(text)) return next();
    const t = peek();
    return error(`Expected ${what}, found ${describe(t)}.`, t.span);
  };
  const enter = (span: Span) => {
    if (++depth > MAX_DEPTH) {
      throw new ParseError({
        code: "expr/too-complex",
        message: `Expression nests deeper than ${MAX_DEPTH} levels.`,
        span,
      });
    }
  };

  function expression(minPower: number): Node {
    enter(peek().span);
    let left = prefix();
    for (;;) {
      const t = peek();
      if (t.kind !== "op" && t.kind !== "keyword") break;
      // `not in` is an infix operator that starts with `not`.
      const op = t.text === "not" && tokens[pos + 1]?.text === "in" ? "not in" : t.text;
      const power = INFIX[op === "not in" ? "in" : op];
      if (power === undefined || power <= minPower) break;
      next();
      if (op === "not in") next();
      if (op === "is") {
        const negated = is("not") ? (next(), true) : false;
        const n = expect("null", "`null` after `is`");
        left = { kind: "is-null", negated, operand: left, span: { start: left.span.start, end: n.span.end } };
      } else {
        const right = expression(power);
        const span = { start: left.span.start, end: right.span.end };
        left =
          op === "in" || op === "not in"
            ? { kind: "in", negated: op === "not in", left, right, span }
            : { kind: "binary", op: op as BinaryOp, left, right, span };
      }
      if (power === 4 && INFIX[peek().text] === 4 && peek().kind !== "ident") {
        error("Comparisons do not chain.", peek().span, "Combine them with `and`, e.g. `a < b and b < c`.");
      }
    }
    depth--;
    return left;
  }

  function prefix(): Node {
    const t = next();
    switch (t.kind) {
      case "number":
        return { kind: "literal", value: t.value as number, span: t.span };
      case "string":
        return { kind: "literal", value: t.value as string, span: t.span };
      case "keyword":
        if (t.text === "true" || t.text === "false")
          return { kind: "literal", value: t.text === "true", span: t.span };
        if (t.text === "null") return { kind: "literal", value: null, span: t.span };
        if (t.text === "not") {
          const operand = expression(NOT_POWER);
          return { kind: "unary", op: "not", operand, span: { start: t.span.start, end: operand.span.end } };
        }
        return error(`Unexpected \`${t.text}\`.`, t.span);
      case "ident":
        return is("(") ? call(t) : field(t);
      case "op":
        if (t.text === "(") {
          const inner = expression(0);
          expect(")", "`)`");
          return inner;
        }
        if (t.text === "[") return list(t);
        if (t.text === "-") {
          const operand = expression(UNARY_MINUS_POWER);
          return { kind: "unary", op: "-", operand, span: { start: t.span.start, end: operand.span.end } };
        }
        if (t.text === "=") return error("Unexpected `=`.", t.span, "Compare with `==`.");
        return error(`Unexpected ${describe(t)}.`, t.span);
      case "eof":
        return error("Expression ends too early.", t.span);
    }
  }

  function field(first: Token): Node {
    const path = [first.text];
    let end = first.span.end;
    while (is(".")) {
      next();
      const t = next();
      if (t.kind !== "ident" && t.kind !== "keyword")
        error(`Expected a field name after ".", found ${describe(t)}.`, t.span);
      path.push(t.text);
      end = t.span.end;
    }
    return { kind: "field", path, span: { start: first.span.start, end } };
  }

  function call(name: Token): Node {
    next(); // (
    const args: Argument[] = [];
    while (!is(")")) {
      if (args.length > 0) expect(",", "`,` or `)`");
      const t = peek();
      if (t.kind === "ident" && tokens[pos + 1]?.text === "=" && tokens[pos + 1]?.kind === "op") {
        next();
        next();
        const value = expression(0);
        args.push({ name: t.text, value, span: { start: t.span.start, end: value.span.end } });
      } else {
        const value = expression(0);
        args.push({ value, span: value.span });
      }
    }
    const close = next();
    depth--;
    return {
      kind: "call",
      name: name.text,
      nameSpan: name.span,
      args,
      span: { start: name.span.start, end: close.span.end },
    };
  }

  function list(open: Token): Node {
    const items: Node[] = [];
    while (!is("]")) {
      if (items.length > 0) expect(",", "`,` or `]`");
      items.push(expression(0));
    }
    const close = next();
    return { kind: "list", items, span: { start: open.span.start, end: close.span.end } };
  }

  try {
    const node = expression(0);
    const rest = peek();
    if (rest.kind !== "eof") {
      const hint = rest.text === "=" ? "Compare with `==`." : undefined;
      error(`Unexpected ${describe(rest)} after the expression.`, rest.span, hint);
    }
    return { ok: true, node };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.error };
    if (e instanceof RangeError)
      return fail("expr/too-complex", "Expression is too deeply nested.", 0, text.length);
    throw e;
  }
}

function describe(t: Token): string {
  if (t.kind === "eof") return "the end of the expression";
  if (t.kind === "string") return "a string";
  if (t.kind === "number") return `the number ${t.text}`;
  return `\`${t.text}\``;
}

function fail(code: ExprError["code"], message: string, start: number, end: number): ParseResult {
  return { ok: false, error: { code, message, span: { start, end } } };
}
