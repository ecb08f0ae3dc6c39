/**
 * Regular-expression functions. Patterns are written as JavaScript regular expressions with the "u" flag and run on
 * RE2 (src/regex/), in time linear in the text: no pattern, not even one that arrives in data, can hang a run. One
 * that does not compile, or needs a feature RE2 lacks (back-references, look-arounds), gives null rather than an
 * error; `clue validate` reports such a pattern when it is written as a literal. In an expression a backslash is
 * written twice: "\\d+".
 */
import { compileRegex } from "../../regex/compile.js";
import type { FunctionDef } from "../function-def.js";
import { MAX_REGEX_INPUT, MAX_TEXT_LENGTH } from "../types.js";
import { asInteger, asText } from "./coerce.js";
import { TEXT } from "./define.js";

/** The parameter that takes a pattern: lint checks a literal passed to it as it checks a `regex` check's pattern. */
export const PATTERN_PARAM = "pattern";

const PATTERN = { name: PATTERN_PARAM, type: "string" } as const;

export const regexFunctions: readonly FunctionDef[] = [
  {
    name: "regex_matches",
    description: "Whether pattern matches anywhere in text (anchor it with ^ and $ to match the whole text).",
    params: [TEXT, PATTERN],
    returns: "boolean",
    examples: [
      { expr: 'regex_matches("AB-1234", "^[A-Z]{2}-[0-9]{4}$")', result: true },
      { expr: 'regex_matches("Zoë", "^\\\\p{L}+$")', result: true },
      { expr: 'regex_matches("x", "(")', result: null },
      { expr: 'regex_matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "(a|aa)+$")', result: false },
    ],
    call: ([value, pattern]) => {
      const text = asText(value);
      const source = asText(pattern);
      const regex = source === null ? null : compileRegex(source);
      return text === null || regex === null || text.length > MAX_REGEX_INPUT ? null : regex.test(text);
    },
  },
  {
    name: "regex_replace",
    description:
      "Replaces every match of pattern with replacement, in which $1, $<name> and $& refer to the groups and the match.",
    params: [TEXT, PATTERN, { name: "replacement", type: "string" }],
    returns: "string",
    examples: [
      { expr: 'regex_replace("a1b22c333", "[0-9]+", "#")', result: "a#b#c#" },
      { expr: 'regex_replace("Lee, Ann", "^(\\\\w+), (\\\\w+)$", "$2 $1")', result: "Ann Lee" },
    ],
    call: ([value, pattern, replacement]) => {
      const text = asText(value);
      const source = asText(pattern);
      const by = asText(replacement);
      const regex = source === null ? null : compileRegex(source);
      if (text === null || by === null || regex === null || text.length > MAX_REGEX_INPUT) return null;
      // Every match may take the whole replacement: bound the result before building it.
      if (text.length * (by.length + 1) > MAX_TEXT_LENGTH) return null;
      return regex.replaceAll(text, by);
    },
  },
  {
    name: "regex_extract",
    description:
      "The first match of pattern, or its capture group group (default: group 1 if the pattern has groups, else the whole match); null when nothing matches.",
    params: [TEXT, PATTERN, { name: "group", type: "number", optional: true }],
    returns: "string",
    examples: [
      { expr: 'regex_extract("Order #4711 shipped", "#([0-9]+)")', result: "4711" },
      { expr: 'regex_extract("ann@example.com", "@.*")', result: "@example.com" },
      { expr: 'regex_extract("2024-05-01", "([0-9]+)-([0-9]+)", 2)', result: "05" },
      { expr: 'regex_extract("abc", "[0-9]")', result: null },
    ],
    call: ([value, pattern, group]) => {
      const text = asText(value);
      const source = asText(pattern);
      const index = group === undefined ? undefined : asInteger(group);
      const regex = source === null ? null : compileRegex(source);
      if (text === null || regex === null || index === null || text.length > MAX_REGEX_INPUT) return null;
      const match = regex.exec(text);
      if (match === null) return null;
      const wanted = index ?? (match.length > 1 ? 1 : 0);
      return wanted < 0 || wanted >= match.length ? null : (match[wanted] ?? null);
    },
  },
];
