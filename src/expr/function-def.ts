import type { ExprType, Value } from "./types.js";

export interface ParamDef {
  name: string;
  type: ExprType | readonly ExprType[];
  /** Optional parameters come last; a call may also pass them by name (`default_country="AU"`). */
  optional?: boolean;
  description?: string;
}

/** A reference table as read from config/reference/NAME.csv: its header, and its rows as the CSV gave them. */
export interface ReferenceTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** What a function may use besides its arguments: the reference tables under config/reference/. */
export interface CallContext {
  /** The value of `column` (default: the second column) in the row of `table` whose first column equals `key`. */
  lookup(table: string, key: string, column?: string): Value;
  /**
   * The whole of reference table `name` (undefined when there is none), for functions that match keys more
   * loosely than lookup's exact text (names_equivalent folds case and accents). Optional so that contexts made
   * for one purpose need not carry tables: without it, such functions find no table.
   */
  table?(name: string): ReferenceTable | undefined;
}

/**
 * One function of the expression language: its signature (for the checker and the docs), examples (run by a test
 * and printed in docs/functions.md), and its implementation. Implementations never throw: bad input gives null.
 */
export interface FunctionDef {
  name: string;
  /** One line, for docs/functions.md and hover text. */
  description: string;
  /** Paragraphs for docs/functions.md only: a contract too long for one line (what a result does not promise). */
  notes?: readonly string[];
  params: readonly ParamDef[];
  /** The last parameter repeats (concat, coalesce). */
  variadic?: boolean;
  returns: ExprType;
  /**
   * By default a null argument makes the result null without calling `call` (SPEC section 4). Functions whose job
   * is to handle nulls (coalesce, nullif, concat, is_blank) set this.
   */
  acceptsNull?: boolean;
  examples: readonly { expr: string; result: Value }[];
  /** Arguments in parameter order; an omitted optional one is undefined. */
  call(args: readonly (Value | undefined)[], ctx: CallContext): Value;
  /**
   * For a function of one text: what `call` gives for a string argument, without the argument list. The compiler
   * runs a chain such as `lower(trim(email))` as one loop over these.
   */
  onText?: (text: string) => Value;
}
