/**
 * The pattern dialect: JavaScript regular-expression syntax with the u flag (what `regex` checks always took),
 * run on RE2, which matches in time linear in the input and so cannot be made to hang. regexpp parses a pattern
 * exactly as a JavaScript engine would; the tree is then written out in RE2 syntax with every character set spelled
 * out in JavaScript's meaning (`\s` includes the no-break space, `.` also stops at \r, U+2028 and U+2029), so a
 * pattern keeps matching what it matched before. What only a backtracking engine can run (back-references,
 * look-arounds) is refused, each with its place in the pattern.
 */
import { RegExpParser, RegExpSyntaxError, visitRegExpAST } from "@eslint-community/regexpp";
import type { AST } from "@eslint-community/regexpp";
import { ALL, classBody, complement, DIGIT, LINE_TERMINATORS, SPACE, WORD, type Range } from "./char-sets.js";
import { translateProperty } from "./unicode-properties.js";

export interface RegexProblem {
  /** syntax: not a JavaScript regular expression; unsupported: valid, but RE2 cannot run it. */
  kind: "syntax" | "unsupported";
  message: string;
  /** 0-based offset of the offending part within the pattern string. */
  offset: number;
  length: number;
  /** How to rewrite it, when there is more to say than the general advice. */
  hint?: string;
}

export type Translation =
  | {
      ok: true;
      source: string;
      /** Bounds RE2's own limits are checked against; see `withinRe2Limits`. */
      shape: PatternShape;
    }
  | { ok: false; problem: RegexProblem };

/** What decides whether RE2 accepts a translated pattern, measured on the JavaScript tree. */
export interface PatternShape {
  /** The greatest product of counts along a chain of nested repetitions (`(a{3}){4}` is 12; `*` and `+` count 1). */
  repeatProduct: number;
  /** The deepest nesting of groups and repetitions. */
  depth: number;
}

/** RE2 repeats an item at most this many times per operator (`x{1001}` does not compile in RE2 syntax). */
export const MAX_REPEAT = 1000;

/** The modifiers in force: `(?i:…)` and `(?s:…)` groups change them for their contents. */
interface Mode {
  ignoreCase: boolean;
  dotAll: boolean;
}

class Unsupported extends Error {
  constructor(readonly problem: RegexProblem) {
    super(problem.message);
  }
}

const unsupported = (node: { start: number; end: number }, message: string, hint: string): never => {
  throw new Unsupported({
    kind: "unsupported",
    message,
    offset: node.start,
    length: node.end - node.start,
    hint,
  });
};

const NOTHING = `[^${classBody(ALL)}]`;

/** The RE2 pattern that means what `pattern` means in JavaScript with the u flag, or why there is none. */
export function translate(pattern: string): Translation {
  let root: AST.Pattern;
  try {
    root = new RegExpParser().parsePattern(pattern, 0, pattern.length, { unicode: true });
  } catch (error) {
    return { ok: false, problem: syntaxProblem(pattern, error) };
  }
  try {
    const groups = new Set<string>();
    const source = alternatives(root.alternatives, { ignoreCase: false, dotAll: false }, groups);
    return { ok: true, source, shape: shapeOf(root) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, problem: error.problem };
    if (error instanceof RangeError) return { ok: false, problem: tooDeep(pattern) };
    throw error;
  }
}

/**
 * RE2 refuses a pattern whose repetitions nest past 1,000 in product, whose program would pass 1,398,101
 * instructions, whose tree nests past 1,000 or whose classes hold past 33,554,432 runes. A pattern well inside all
 * four is known to compile without building its program, which is what validation needs; anything near a limit is
 * left to RE2 to decide. The bounds are conservative: the program is at most the source length times the repeat
 * product; RE2's tree is at most three levels per group or repetition; without `\p{…}` names, a class adds at most
 * a few thousand runes by case folding, and 5,000 characters hold fewer than 2,000 classes.
 */
export function withinRe2Limits(source: string, shape: PatternShape): boolean {
  return (
    source.length <= 5000 &&
    !source.includes("\\p{") &&
    !source.includes("\\P{") &&
    shape.repeatProduct <= MAX_REPEAT &&
    source.length * shape.repeatProduct <= 1_000_000 &&
    shape.depth <= 300
  );
}

function shapeOf(root: AST.Pattern): PatternShape {
  let depth = 0;
  let deepest = 0;
  const products = [1];
  let repeatProduct = 1;
  const enter = (factor: number) => {
    deepest = Math.max(deepest, ++depth);
    const product = products[products.length - 1]! * factor;
    products.push(product);
    repeatProduct = Math.max(repeatProduct, product);
  };
  const leave = () => {
    depth--;
    products.pop();
  };
  visitRegExpAST(root, {
    onGroupEnter: () => enter(1),
    onGroupLeave: leave,
    onCapturingGroupEnter: () => enter(1),
    onCapturingGroupLeave: leave,
    // RE2 weighs `x{n,}` by n and `x{n,m}` by m; `*`, `+` and `?` weigh 1.
    onQuantifierEnter: ({ min, max }) => enter(Math.max(1, max === Infinity ? min : max)),
    onQuantifierLeave: leave,
  });
  return { repeatProduct, depth: deepest };
}

function syntaxProblem(pattern: string, error: unknown): RegexProblem {
  // The recursive-descent parser runs out of stack on a few thousand nested groups.
  if (error instanceof RangeError) return tooDeep(pattern);
  const message = error instanceof Error ? error.message : String(error);
  const index = error instanceof RegExpSyntaxError ? Math.min(Math.max(error.index, 0), pattern.length) : 0;
  const flags = /^\(\?([a-z]+)\)/.exec(pattern);
  return {
    kind: "syntax",
    message,
    offset: index,
    length: index < pattern.length ? 1 : 0,
    ...(flags
      ? {
          hint: `Put the modifier on a group: \`(?${flags[1]}:…)\` around the part it applies to, e.g. \`(?i:^abc$)\`.`,
        }
      : {}),
  };
}

const tooDeep = (pattern: string): RegexProblem => ({
  kind: "unsupported",
  message: "groups nested thousands deep",
  offset: 0,
  length: pattern.length,
  hint: "Nest groups at most 1,000 deep.",
});

function alternatives(list: readonly AST.Alternative[], mode: Mode, groups: Set<string>): string {
  return list.map((alt) => alt.elements.map((e) => element(e, mode, groups)).join("")).join("|");
}

function element(node: AST.Element, mode: Mode, groups: Set<string>): string {
  switch (node.type) {
    case "Character":
      return classBody([[node.value, node.value]]);
    case "CharacterClass":
      return characterClass(node);
    case "CharacterSet":
      return node.kind === "any" ? dot(mode) : wrap(set(node));
    case "ExpressionCharacterClass":
      // Only the v flag has set operations, and patterns are parsed with the u flag.
      return unsupported(node, `the class expression "${node.raw}"`, "Write the class without `&&` or `--`.");
    case "Group":
      return group(node, mode, groups);
    case "CapturingGroup":
      return capturingGroup(node, mode, groups);
    case "Quantifier":
      return quantifier(node, mode, groups);
    case "Backreference":
      return unsupported(
        node,
        `the back-reference "${node.raw}"`,
        "RE2 cannot compare a group with later text (that takes backtracking): capture both parts and compare them in an `expr` check, e.g. `regex_extract(code, '^([a-z]+)-') == regex_extract(code, '-([a-z]+)$')`.",
      );
    case "Assertion":
      return assertion(node);
  }
}

function assertion(node: AST.Assertion): string {
  switch (node.kind) {
    case "start":
      return "^";
    case "end":
      return "$";
    case "word":
      return node.negate ? "\\B" : "\\b";
    case "lookahead":
      return unsupported(
        node,
        `the look-ahead "${node.raw}"`,
        node.negate
          ? "RE2 has no look-arounds: test the excluded text separately with `not regex_matches(...)` in an `expr` check, e.g. `regex_matches(x, '^[a-z]+$') and not regex_matches(x, '^test')` for `^(?!test)[a-z]+$`."
          : "RE2 has no look-arounds: join the conditions with `and` in an `expr` check, e.g. `regex_matches(x, '[0-9]') and regex_matches(x, '^[a-z0-9]{8,}$')` for `^(?=.*[0-9])[a-z0-9]{8,}$`.",
      );
    case "lookbehind":
      return unsupported(
        node,
        `the look-behind "${node.raw}"`,
        "RE2 has no look-arounds: match the preceding text too and capture the part you need (regex_extract takes a group), or test it separately with `and` / `not regex_matches(...)` in an `expr` check.",
      );
  }
}

function group(node: AST.Group, mode: Mode, groups: Set<string>): string {
  if (!node.modifiers) return `(?:${alternatives(node.alternatives, mode, groups)})`;
  const { add, remove } = node.modifiers;
  if (add.multiline || remove?.multiline) {
    unsupported(
      node.modifiers,
      `the m (multiline) modifier in "(?${node.modifiers.raw}:…)"`,
      "A value is matched as a whole: drop the m and match line breaks with `\\n`.",
    );
  }
  const inner: Mode = {
    ignoreCase: add.ignoreCase || (!remove?.ignoreCase && mode.ignoreCase),
    dotAll: add.dotAll || (!remove?.dotAll && mode.dotAll),
  };
  // Only case folding is left to RE2; `.` is spelled out by the mode, and nothing else depends on one.
  const flag = inner.ignoreCase === mode.ignoreCase ? "" : inner.ignoreCase ? "i" : "-i";
  return `(?${flag}:${alternatives(node.alternatives, inner, groups)})`;
}

function capturingGroup(node: AST.CapturingGroup, mode: Mode, groups: Set<string>): string {
  const body = alternatives(node.alternatives, mode, groups);
  if (node.name === null) return `(${body})`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(node.name)) {
    unsupported(node, `the group name "${node.name}"`, "Name groups with ASCII letters, digits and `_`.");
  }
  if (groups.has(node.name)) {
    unsupported(node, `a second group named "${node.name}"`, "Give each group its own name.");
  }
  groups.add(node.name);
  return `(?P<${node.name}>${body})`;
}

function quantifier(node: AST.Quantifier, mode: Mode, groups: Set<string>): string {
  const { min, max, greedy } = node;
  const lazy = greedy ? "" : "?";
  // Every element is written as one RE2 atom (a literal, a class or a group), so the operator applies to all of it.
  const atom = element(node.element, mode, groups);
  if (min <= MAX_REPEAT && (max === Infinity || max <= MAX_REPEAT))
    return `${atom}${operator(min, max)}${lazy}`;
  // RE2 counts to 1,000 per operator, so a bigger count is written as a run of smaller ones: `x{2,1005}` is
  // `x{2}x{0,1000}x{0,3}`. That matches the same text, and prefers the same counts (greedy: the most first; lazy:
  // the fewest), but it copies the element, so a capturing group inside would get new numbers.
  if (hasCapturingGroup(node.element)) {
    unsupported(
      node,
      `the count in "${node.raw}" on a capturing group (RE2 repeats an item at most ${MAX_REPEAT.toLocaleString("en-US")} times)`,
      "Make the group non-capturing, `(?:…)`, or use `+` or `*` and bound the length with a `length` check.",
    );
  }
  const parts: string[] = [];
  for (let left = min; left > 0; left -= MAX_REPEAT) parts.push(`${atom}{${Math.min(left, MAX_REPEAT)}}`);
  if (max === Infinity) parts.push(`${atom}*${lazy}`);
  for (let left = max - min; left > 0 && left !== Infinity; left -= MAX_REPEAT) {
    parts.push(`${atom}{0,${Math.min(left, MAX_REPEAT)}}${lazy}`);
  }
  return `(?:${parts.join("")})`;
}

function operator(min: number, max: number): string {
  if (max === Infinity) return min === 0 ? "*" : min === 1 ? "+" : `{${min},}`;
  if (min === 0 && max === 1) return "?";
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function hasCapturingGroup(node: AST.Node): boolean {
  let found = false;
  visitRegExpAST(node, { onCapturingGroupEnter: () => void (found = true) });
  return found;
}

function dot(mode: Mode): string {
  return wrap({ ranges: mode.dotAll ? ALL : complement(LINE_TERMINATORS) });
}

/** A character set as RE2 can say it: a `\p{…}` name, or ranges. */
type SetForm = { property: string } | { ranges: readonly Range[] };

function set(node: AST.EscapeCharacterSet | AST.UnicodePropertyCharacterSet): SetForm {
  if (node.kind === "property") {
    const translated = translateProperty(node);
    if ("unsupported" in translated) return unsupported(node, translated.unsupported, translated.hint);
    if ("name" in translated) return { property: `\\${node.negate ? "P" : "p"}{${translated.name}}` };
    return { ranges: node.negate ? complement(translated.ranges) : translated.ranges };
  }
  const ranges = node.kind === "digit" ? DIGIT : node.kind === "space" ? SPACE : WORD;
  return { ranges: node.negate ? complement(ranges) : ranges };
}

/** The set on its own, outside a class. */
function wrap(form: SetForm): string {
  if ("property" in form) return form.property;
  return form.ranges.length === 0 ? NOTHING : `[${classBody(form.ranges)}]`;
}

function characterClass(node: AST.CharacterClass): string {
  const body = node.elements
    .map((e) => {
      switch (e.type) {
        case "Character":
          return classBody([[e.value, e.value]]);
        case "CharacterClassRange":
          return classBody([[e.min.value, e.max.value]]);
        case "CharacterSet": {
          const form = set(e);
          return "property" in form ? form.property : classBody(form.ranges);
        }
        default:
          return unsupported(
            e,
            `the class element "${e.raw}"`,
            "Write the class without `\\q{…}` or nested classes.",
          );
      }
    })
    .join("");
  // `[]` matches nothing and `[^]` any character; RE2 reads both differently, so they are spelled out.
  if (body === "") return node.negate ? `[${classBody(ALL)}]` : NOTHING;
  return `[${node.negate ? "^" : ""}${body}]`;
}
