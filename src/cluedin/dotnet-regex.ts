/**
 * clue's patterns are JavaScript regular expressions with the u flag; CluedIn runs "Matches pattern" on .NET's
 * engine. Where the two read the same text differently, the pattern is rewritten so that .NET means what clue
 * means: `\d` `\w` `\b` are Unicode-aware in .NET and ASCII in JavaScript, `\s` differs by two characters, `.` stops
 * only at \n in .NET, and `$` also matches before a final newline in .NET. Rewritten pieces use only syntax both
 * engines read alike, so `fromDotnet` can undo the one rewrite JavaScript cannot read (`\z`) and a pattern read
 * back from the platform compiles to the same text again. What cannot be made equal is reported.
 */
import { RegExpParser, visitRegExpAST } from "@eslint-community/regexpp";
import type { AST } from "@eslint-community/regexpp";

export interface DotnetPattern {
  pattern: string;
  /** Differences that remain, each a sentence; empty when the pattern means the same on both engines. */
  approximations: string[];
  /** Why .NET cannot run the pattern at all, when it cannot. */
  unsupported?: string;
}

const DIGIT = "0-9";
const WORD = "a-zA-Z0-9_";
/** JavaScript's `\s`, spelt out (ECMAScript WhiteSpace and LineTerminator). */
const SPACE = "\\t\\n\\v\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
const CLASS_BODY = { digit: DIGIT, word: WORD, space: SPACE } as const;
const W = `[${WORD}]`;
/** .NET's `\b` looks at Unicode word characters; JavaScript's at ASCII ones. */
const WORD_BOUNDARY = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
const NOT_WORD_BOUNDARY = `(?:(?<=${W})(?=${W})|(?<!${W})(?!${W}))`;
/** General categories .NET knows by the same short names (`\p{L}`, `\p{Lu}`...). */
const DOTNET_CATEGORIES = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/;

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The .NET pattern that matches what `pattern` matches in JavaScript (u flag), with what still differs. */
export function toDotnet(pattern: string): DotnetPattern {
  let ast: AST.Pattern;
  try {
    ast = new RegExpParser().parsePattern(pattern, 0, pattern.length, { unicode: true });
  } catch (error) {
    return { pattern, approximations: [], unsupported: `the pattern does not parse: ${String(error)}` };
  }
  const edits: Edit[] = [];
  const approximations = new Set<string>();
  let unsupported: string | undefined;
  const inClass = (node: AST.Node) => node.parent?.type === "CharacterClass";
  visitRegExpAST(ast, {
    onCharacterSetEnter(node) {
      const rewritten = characterSet(node, inClass(node), approximations);
      if (typeof rewritten === "string") edits.push({ start: node.start, end: node.end, text: rewritten });
      else if (rewritten) unsupported = rewritten.unsupported;
    },
    onAssertionEnter(node) {
      if (node.kind === "end") edits.push({ start: node.start, end: node.end, text: "\\z" });
      if (node.kind === "word")
        edits.push({
          start: node.start,
          end: node.end,
          text: node.negate ? NOT_WORD_BOUNDARY : WORD_BOUNDARY,
        });
    },
    onCharacterEnter(node) {
      if (node.value > 0xffff)
        approximations.add(
          "a character outside the Basic Multilingual Plane is two UTF-16 units to .NET: quantifiers and classes count it differently",
        );
      else if (node.raw.startsWith("\\u{"))
        edits.push({
          start: node.start,
          end: node.end,
          text: `\\u${node.value.toString(16).padStart(4, "0").toUpperCase()}`,
        });
    },
  });
  return {
    pattern: applyEdits(pattern, edits),
    approximations: [...approximations],
    ...(unsupported ? { unsupported } : {}),
  };
}

function characterSet(
  node: AST.CharacterSet,
  insideClass: boolean,
  approximations: Set<string>,
): string | { unsupported: string } | undefined {
  if (node.kind === "any") return "[^\\n\\r\\u2028\\u2029]";
  if (node.kind === "property") {
    const name =
      node.value === null
        ? node.key
        : node.key === "General_Category" || node.key === "gc"
          ? node.value
          : undefined;
    if (name !== undefined && DOTNET_CATEGORIES.test(name)) return undefined;
    return { unsupported: `.NET has no Unicode property ${node.raw}` };
  }
  if (node.kind !== "digit" && node.kind !== "space" && node.kind !== "word") return undefined;
  const body = CLASS_BODY[node.kind];
  if (!insideClass) return node.negate ? `[^${body}]` : `[${body}]`;
  if (!node.negate) return body;
  // A negated escape inside a class ([^\S], [a\D]) cannot be spelt out as a range list; .NET's own differs.
  approximations.add(`${node.raw} inside a character class keeps .NET's Unicode meaning of it`);
  return undefined;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = "";
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue; // nested in an edited node
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** A pattern read from the platform, as clue writes it: `\z` (not JavaScript syntax) back to `$`. */
export function fromDotnet(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) {
      const next = pattern[i + 1]!;
      out += next === "z" ? "$" : c + next;
      i++;
    } else out += c;
  }
  return out;
}
