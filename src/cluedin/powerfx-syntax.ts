/**
 * The part of Power Fx that clue writes (CluedIn's Formula Action and formula conditions): calls, literals, a
 * one-column table literal, comparison and arithmetic operators and `exactin`. Written from a small tree, and read
 * back into one (import), so that what the platform holds can be turned into clue expressions again. Text that is
 * not in this subset does not parse: import reports the object instead of guessing.
 */

export type Fx =
  | { t: "call"; name: string; args: Fx[] }
  | { t: "ident"; name: string }
  | { t: "str"; value: string }
  | { t: "num"; value: number }
  | { t: "bool"; value: boolean }
  | { t: "table"; items: Fx[] }
  | { t: "op"; op: FxOp; left: Fx; right: Fx };

export type FxOp = "=" | "<>" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "exactin";

const POWER: Record<FxOp, number> = {
  "=": 1,
  "<>": 1,
  "<": 1,
  "<=": 1,
  ">": 1,
  ">=": 1,
  exactin: 1,
  "+": 2,
  "-": 2,
  "*": 3,
  "/": 3,
};

export const call = (name: string, ...args: Fx[]): Fx => ({ t: "call", name, args });
export const str = (value: string): Fx => ({ t: "str", value });

export function printFx(fx: Fx): string {
  switch (fx.t) {
    case "call":
      return `${fx.name}(${fx.args.map(printFx).join(", ")})`;
    case "ident":
      return fx.name;
    case "str":
      return `"${fx.value.replaceAll('"', '""')}"`;
    case "num":
      return String(fx.value);
    case "bool":
      return String(fx.value);
    case "table":
      return `[${fx.items.map(printFx).join(", ")}]`;
    case "op":
      return `${operand(fx.left, fx.op, false)} ${fx.op} ${operand(fx.right, fx.op, true)}`;
  }
}

function operand(fx: Fx, parent: FxOp, right: boolean): string {
  if (fx.t !== "op") return printFx(fx);
  const inner = POWER[fx.op];
  const outer = POWER[parent];
  return inner > outer || (inner === outer && !right && outer > 1) ? printFx(fx) : `(${printFx(fx)})`;
}

const TOKEN =
  /\s*(?:("(?:[^"]|"")*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<>|<=|>=|[=<>+\-*/(),[\]]))/y;

/** Parses the subset `printFx` writes; undefined for anything else. */
export function parseFx(text: string): Fx | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    tokens.push(m[0].trim());
  }
  const parser = new FxParser(tokens);
  try {
    const fx = parser.expression(0);
    return parser.done() ? fx : undefined;
  } catch {
    return undefined;
  }
}

class FxParser {
  private at = 0;
  constructor(private readonly tokens: string[]) {}

  done(): boolean {
    return this.at === this.tokens.length;
  }

  expression(min: number): Fx {
    let left = this.primary();
    for (;;) {
      const op = this.tokens[this.at] as FxOp | undefined;
      if (op === undefined || !Object.hasOwn(POWER, op) || POWER[op] <= min) return left;
      this.at++;
      left = { t: "op", op, left, right: this.expression(POWER[op]) };
    }
  }

  private primary(): Fx {
    const token = this.next();
    if (token === "(") return this.closing(this.expression(0), ")");
    if (token === "[") return { t: "table", items: this.list("]") };
    if (token.startsWith('"')) return { t: "str", value: token.slice(1, -1).replaceAll('""', '"') };
    if (/^-?\d/.test(token)) return { t: "num", value: Number(token) };
    if (token === "true" || token === "false") return { t: "bool", value: token === "true" };
    if (!/^[A-Za-z_]/.test(token)) throw new Error(`unexpected ${token}`);
    if (this.tokens[this.at] !== "(") return { t: "ident", name: token };
    this.at++;
    return { t: "call", name: token, args: this.list(")") };
  }

  private list(end: string): Fx[] {
    const items: Fx[] = [];
    if (this.tokens[this.at] === end) {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.expression(0));
      const token = this.next();
      if (token === end) return items;
      if (token !== ",") throw new Error(`expected , or ${end}`);
    }
  }

  private closing(fx: Fx, end: string): Fx {
    if (this.next() !== end) throw new Error(`expected ${end}`);
    return fx;
  }

  private next(): string {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Error("unexpected end");
    return token;
  }
}
