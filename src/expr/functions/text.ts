/** Case, whitespace and character clean-up of text. */
import type { FunctionDef } from "../function-def.js";
import { asText } from "./coerce.js";
import { textFunction } from "./define.js";

// A word starts the text or follows whitespace, a hyphen or an apostrophe (straight or curly), so double-barrelled
// and Irish names come out right: "o'brien-smith" → "O'Brien-Smith". The price is "don't" → "Don'T".
const WORD_START = /(^|[\s'’-])(\p{L})/gu;

// Letters that are not a base letter plus a combining mark, so NFD leaves them whole; mapped as people
// transliterate them when typing on an ASCII keyboard.
// prettier-ignore
const LIGATURES: Readonly<Record<string, string>> = {
  ø: "o", Ø: "O", ß: "ss", ẞ: "SS", æ: "ae", Æ: "AE", œ: "oe", Œ: "OE", đ: "d", Đ: "D",
  ł: "l", Ł: "L", þ: "th", Þ: "TH", ð: "d", Ð: "D", ħ: "h", Ħ: "H", ı: "i",
};
const LIGATURE = new RegExp(`[${Object.keys(LIGATURES).join("")}]`, "gu");

/** strip_accents: combining marks removed after NFD, and the letters above spelt in ASCII. */
export function stripAccents(text: string): string {
  return (
    text
      .normalize("NFD")
      .replace(/\p{Mn}/gu, "")
      .replace(LIGATURE, (letter) => LIGATURES[letter] ?? letter)
      // Recompose what NFD split without marks to drop (Hangul syllables, for one).
      .normalize("NFC")
  );
}

export const textFunctions: readonly FunctionDef[] = [
  textFunction(
    {
      name: "lower",
      description: "Lowercases text (Unicode, independent of locale).",
      returns: "string",
      examples: [
        { expr: 'lower("Zoë ÅBERG")', result: "zoë åberg" },
        { expr: "lower(null)", result: null },
      ],
    },
    (text) => text.toLowerCase(),
  ),
  textFunction(
    {
      name: "upper",
      description: "Uppercases text (Unicode, independent of locale; ß becomes SS).",
      returns: "string",
      examples: [
        { expr: 'upper("José")', result: "JOSÉ" },
        { expr: 'upper("straße")', result: "STRASSE" },
      ],
    },
    (text) => text.toUpperCase(),
  ),
  textFunction(
    {
      name: "trim",
      description: "Removes leading and trailing whitespace, including tabs, newlines and no-break spaces.",
      returns: "string",
      examples: [
        { expr: 'trim("  Ann Lee \\t")', result: "Ann Lee" },
        { expr: 'trim("   ")', result: "" },
      ],
    },
    (text) => text.trim(),
  ),
  textFunction(
    {
      name: "collapse_whitespace",
      description:
        "Trims, then replaces each run of whitespace (tabs, newlines, no-break spaces) with one space.",
      returns: "string",
      examples: [
        { expr: 'collapse_whitespace("  12   Main\\n St ")', result: "12 Main St" },
        { expr: 'collapse_whitespace("")', result: "" },
      ],
    },
    (text) => text.trim().replace(/\s+/gu, " "),
  ),
  textFunction(
    {
      name: "title_case",
      description:
        "Lowercases, then capitalises each letter that starts the text or follows whitespace, a hyphen or an apostrophe.",
      returns: "string",
      examples: [
        { expr: 'title_case("o\'brien-smith")', result: "O'Brien-Smith" },
        { expr: 'title_case("MARY  ANNE mcdonald")', result: "Mary  Anne Mcdonald" },
      ],
    },
    (text) =>
      text
        .toLowerCase()
        .replace(WORD_START, (_, before: string, letter: string) => before + letter.toUpperCase()),
  ),
  textFunction(
    {
      name: "strip_accents",
      description:
        "Removes accents and other combining marks (NFD), and spells ø, ß, æ, œ, đ, ł, þ, ð, ħ, ı as ASCII letters.",
      returns: "string",
      examples: [
        { expr: 'strip_accents("Nguyễn Zoë José")', result: "Nguyen Zoe Jose" },
        { expr: 'strip_accents("Søren Łukasz Straße")', result: "Soren Lukasz Strasse" },
      ],
    },
    stripAccents,
  ),
  textFunction(
    {
      name: "digits_only",
      description: 'Keeps only the ASCII digits 0-9; text without any gives "" (not null).',
      returns: "string",
      examples: [
        { expr: 'digits_only("+61 (0)412-345 678")', result: "610412345678" },
        { expr: 'digits_only("n/a")', result: "" },
      ],
    },
    (text) => text.replace(/[^0-9]/g, ""),
  ),
  textFunction(
    {
      name: "to_string",
      description:
        "Turns a number or boolean into text (numbers as JavaScript prints them); text stays as it is.",
      params: [{ name: "value", type: ["string", "number", "boolean"] }],
      returns: "string",
      examples: [
        { expr: "to_string(1.50)", result: "1.5" },
        { expr: "to_string(true)", result: "true" },
      ],
    },
    (text) => text,
  ),
  {
    name: "is_blank",
    description:
      "True for null, for text that is empty or only whitespace, and for an empty list; handles null itself.",
    params: [{ name: "value", type: "any" }],
    returns: "boolean",
    acceptsNull: true,
    examples: [
      { expr: "is_blank(null)", result: true },
      { expr: 'is_blank(" \\t ")', result: true },
      { expr: 'is_blank("x")', result: false },
    ],
    call: ([value]) => {
      if (value === null || value === undefined) return true;
      if (Array.isArray(value)) return value.length === 0;
      const text = asText(value);
      return text !== null && text.trim() === "";
    },
  },
];
