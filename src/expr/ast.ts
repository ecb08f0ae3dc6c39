import type { Value } from "./types.js";

/** A range of characters in an expression's text: [start, end), 0-based. */
export interface Span {
  start: number;
  end: number;
}

export type BinaryOp = "or" | "and" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export type Node =
  | { kind: "literal"; value: Value; span: Span }
  | { kind: "list"; items: Node[]; span: Span }
  /** `email`, `address.city`, `other.email`: the path of names. */
  | { kind: "field"; path: string[]; span: Span }
  | { kind: "call"; name: string; nameSpan: Span; args: Argument[]; span: Span }
  | { kind: "unary"; op: "not" | "-"; operand: Node; span: Span }
  | { kind: "binary"; op: BinaryOp; left: Node; right: Node; span: Span }
  | { kind: "in"; negated: boolean; left: Node; right: Node; span: Span }
  | { kind: "is-null"; negated: boolean; operand: Node; span: Span };

export interface Argument {
  /** Set for a named argument (`default_country="AU"`). */
  name?: string;
  value: Node;
  span: Span;
}

/** A problem in an expression, located in its text. Parse, check and evaluation errors are all of this shape. */
export interface ExprError {
  code:
    | "expr/syntax"
    | "expr/unknown-function"
    | "expr/unknown-field"
    | "expr/arguments"
    | "expr/type"
    | "expr/too-complex";
  message: string;
  span: Span;
  hint?: string;
}
