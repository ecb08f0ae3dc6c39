/**
 * `\p{…}` escapes: JavaScript accepts every alias Unicode defines, RE2 a subset of the names. Each JavaScript
 * property is written as the RE2 name that means the same set, or as explicit ranges; the rest are unsupported.
 */
import type { AST } from "@eslint-community/regexpp";
import { RE2JS } from "re2js";
import { ALL, ASCII, type Range } from "./char-sets.js";

/** Long General_Category names (and the few other aliases) to the short names RE2 knows. */
const GENERAL_CATEGORY: Readonly<Record<string, string>> = {
  Other: "C",
  Control: "Cc",
  cntrl: "Cc",
  Format: "Cf",
  Unassigned: "Cn",
  Private_Use: "Co",
  Surrogate: "Cs",
  Letter: "L",
  Cased_Letter: "LC",
  Lowercase_Letter: "Ll",
  Modifier_Letter: "Lm",
  Other_Letter: "Lo",
  Titlecase_Letter: "Lt",
  Uppercase_Letter: "Lu",
  Mark: "M",
  Combining_Mark: "M",
  Spacing_Mark: "Mc",
  Enclosing_Mark: "Me",
  Nonspacing_Mark: "Mn",
  Number: "N",
  Decimal_Number: "Nd",
  digit: "Nd",
  Letter_Number: "Nl",
  Other_Number: "No",
  Punctuation: "P",
  punct: "P",
  Connector_Punctuation: "Pc",
  Dash_Punctuation: "Pd",
  Close_Punctuation: "Pe",
  Final_Punctuation: "Pf",
  Initial_Punctuation: "Pi",
  Other_Punctuation: "Po",
  Open_Punctuation: "Ps",
  Symbol: "S",
  Currency_Symbol: "Sc",
  Modifier_Symbol: "Sk",
  Math_Symbol: "Sm",
  Other_Symbol: "So",
  Separator: "Z",
  Line_Separator: "Zl",
  Paragraph_Separator: "Zp",
  Space_Separator: "Zs",
};

/** Binary properties RE2 has no name for, as ranges. */
const AS_RANGES: Readonly<Record<string, readonly Range[]>> = { Any: ALL, ASCII };

/** A property as RE2 can say it, or why it cannot. */
export type PropertyTranslation =
  { name: string } | { ranges: readonly Range[] } | { unsupported: string; hint: string };

const known = new Map<string, boolean>();

/** Whether RE2 (re2js's tables) knows `\p{name}`; names reaching here are valid JavaScript property names. */
function re2Knows(name: string): boolean {
  let answer = known.get(name);
  if (answer === undefined) {
    try {
      RE2JS.compile(`\\p{${name}}`);
      answer = true;
    } catch {
      answer = false;
    }
    known.set(name, answer);
  }
  return answer;
}

/** The RE2 form of a (non-negated) `\p{…}` that regexpp has parsed and validated. */
export function translateProperty(node: AST.UnicodePropertyCharacterSet): PropertyTranslation {
  const { key, value } = node;
  if (value !== null && (key === "General_Category" || key === "gc")) {
    return { name: GENERAL_CATEGORY[value] ?? value };
  }
  if (value !== null && (key === "Script" || key === "sc")) {
    if (re2Knows(value)) return { name: value };
    return {
      unsupported: `the script alias "${value}" in "${node.raw}"`,
      hint: "Write the script's full name, e.g. `\\p{Script=Greek}` for `\\p{Script=Grek}`.",
    };
  }
  if (value !== null) {
    return {
      unsupported: `the property "${key}" in "${node.raw}"`,
      hint: "RE2 has no Script_Extensions; use `\\p{Script=…}` (one script per character).",
    };
  }
  // A lone name is a General_Category value or a binary property (JavaScript's grammar allows nothing else).
  const category = GENERAL_CATEGORY[key];
  if (category !== undefined) return { name: category };
  const ranges = AS_RANGES[key];
  if (ranges !== undefined) return { ranges };
  if (re2Knows(key)) return { name: key };
  return {
    unsupported: `the property "${node.raw}"`,
    hint: "RE2 knows the general categories (`\\p{L}`, `\\p{Lu}`, …), scripts (`\\p{Script=Greek}`) and common binary properties (Alphabetic, White_Space, Emoji, …); spell other sets out as a class.",
  };
}
