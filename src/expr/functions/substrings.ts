import { MAX_TEXT_LENGTH } from "../types.js";
/** Positions, pieces and searches in text. Positions count Unicode code points, so "Zoë" and "🙂" are whole. */
import type { FunctionDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asInteger, asText, codePoints } from "./coerce.js";
import { TEXT } from "./define.js";

/** Padding beyond this is a mistake in the expression, not a use case; refusing it keeps memory bounded. */
const MAX_PAD = 10_000;

const STRING_LIKE = ["string", "number", "boolean"] as const;

/** Applies `apply` to the first `count` values as text when each converts (a missing one does not); else null. */
function texts<T>(
  values: readonly (Value | undefined)[],
  count: number,
  apply: (texts: string[]) => T,
): T | null {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = asText(values[i]);
    if (t === null) return null;
    out.push(t);
  }
  return apply(out);
}

function pad(side: "left" | "right"): FunctionDef["call"] {
  return ([value, width, fill]) => {
    const text = asText(value);
    const n = asInteger(width ?? null);
    const filler = fill === undefined ? " " : asText(fill);
    if (text === null || n === null || n < 0 || n > MAX_PAD || filler === null || filler === "") return null;
    const chars = codePoints(text);
    if (chars.length >= n) return text;
    const fillChars = codePoints(filler);
    const padding = Array.from({ length: n - chars.length }, (_, i) => fillChars[i % fillChars.length]).join(
      "",
    );
    return side === "left" ? padding + text : text + padding;
  };
}

const padParams = [
  TEXT,
  { name: "length", type: "number" },
  { name: "fill", type: "string", optional: true },
] as const;

export const substringFunctions: readonly FunctionDef[] = [
  {
    name: "length",
    description: "The number of Unicode code points in text (an emoji counts 1), or of items in a list.",
    params: [{ name: "value", type: ["string", "list"] }],
    returns: "number",
    examples: [
      { expr: 'length("Zoë 🙂")', result: 5 },
      { expr: 'length(["a", "b"])', result: 2 },
    ],
    call: ([value]) =>
      Array.isArray(value) ? value.length : texts([value], 1, ([t]) => codePoints(t ?? "").length),
  },
  {
    name: "substring",
    description:
      "Code points from 1-based position start, length of them or to the end, as in SQL (positions before 1 count but yield nothing).",
    params: [TEXT, { name: "start", type: "number" }, { name: "length", type: "number", optional: true }],
    returns: "string",
    examples: [
      { expr: 'substring("José Díaz", 6)', result: "Díaz" },
      { expr: 'substring("2024-05-01", 1, 4)', result: "2024" },
      { expr: 'substring("abc", 0, 2)', result: "a" },
    ],
    call: ([value, start, count]) => {
      const text = asText(value);
      const from = asInteger(start ?? null);
      const n = count === undefined ? Infinity : asInteger(count);
      if (text === null || from === null || n === null || n < 0) return null;
      const chars = codePoints(text);
      const lo = Math.max(from, 1);
      const hi = Math.min(from + n, chars.length + 1);
      return hi <= lo ? "" : chars.slice(lo - 1, hi - 1).join("");
    },
  },
  {
    name: "left",
    description: "The first n code points of text (all of it when shorter); a negative n gives null.",
    params: [TEXT, { name: "n", type: "number" }],
    returns: "string",
    examples: [
      { expr: 'left("Nguyễn", 3)', result: "Ngu" },
      { expr: 'left("ab", 5)', result: "ab" },
    ],
    call: ([value, count]) => {
      const n = asInteger(count ?? null);
      const text = asText(value);
      return text === null || n === null || n < 0 ? null : codePoints(text).slice(0, n).join("");
    },
  },
  {
    name: "right",
    description: "The last n code points of text (all of it when shorter); a negative n gives null.",
    params: [TEXT, { name: "n", type: "number" }],
    returns: "string",
    examples: [
      { expr: 'right("0412 345 678", 3)', result: "678" },
      { expr: 'right("🙂x", 2)', result: "🙂x" },
    ],
    call: ([value, count]) => {
      const n = asInteger(count ?? null);
      const text = asText(value);
      if (text === null || n === null || n < 0) return null;
      const chars = codePoints(text);
      return chars.slice(Math.max(chars.length - n, 0)).join("");
    },
  },
  {
    name: "pad_left",
    description: `Pads text on the left with fill (default " ") to length code points (at most ${MAX_PAD}); longer text is kept whole.`,
    params: padParams,
    returns: "string",
    examples: [
      { expr: 'pad_left("42", 5, "0")', result: "00042" },
      { expr: 'pad_left("123456", 3, "0")', result: "123456" },
    ],
    call: pad("left"),
  },
  {
    name: "pad_right",
    description: `Pads text on the right with fill (default " ") to length code points (at most ${MAX_PAD}); longer text is kept whole.`,
    params: padParams,
    returns: "string",
    examples: [
      { expr: 'pad_right("AB", 4, "-")', result: "AB--" },
      { expr: 'pad_right("x", 3)', result: "x  " },
    ],
    call: pad("right"),
  },
  {
    name: "split_part",
    description:
      'The nth field of text split at delimiter, 1-based, negative n counting from the end, as in PostgreSQL; "" past the last field, null for n = 0.',
    params: [TEXT, { name: "delimiter", type: "string" }, { name: "n", type: "number" }],
    returns: "string",
    examples: [
      { expr: 'split_part("ann@example.com", "@", 2)', result: "example.com" },
      { expr: 'split_part("a,b,c", ",", -1)', result: "c" },
      { expr: 'split_part("a,b", ",", 5)', result: "" },
    ],
    call: ([value, delimiter, index]) => {
      const n = asInteger(index ?? null);
      return texts([value, delimiter], 2, ([text = "", sep = ""]) => {
        if (n === null || n === 0) return null;
        const parts = sep === "" ? [text] : text.split(sep);
        return parts[n > 0 ? n - 1 : parts.length + n] ?? "";
      });
    },
  },
  {
    name: "starts_with",
    description: 'Whether text begins with prefix (case-sensitive; every text starts with "").',
    params: [TEXT, { name: "prefix", type: "string" }],
    returns: "boolean",
    examples: [
      { expr: 'starts_with("+61412345678", "+61")', result: true },
      { expr: 'starts_with("abc", "B")', result: false },
    ],
    call: (args) => texts(args, 2, ([t = "", p = ""]) => t.startsWith(p)),
  },
  {
    name: "ends_with",
    description: "Whether text ends with suffix (case-sensitive).",
    params: [TEXT, { name: "suffix", type: "string" }],
    returns: "boolean",
    examples: [
      { expr: 'ends_with("ann@example.com", ".com")', result: true },
      { expr: 'ends_with("Zoë", "e")', result: false },
    ],
    call: (args) => texts(args, 2, ([t = "", s = ""]) => t.endsWith(s)),
  },
  {
    name: "contains",
    description: "Whether part occurs in text (case-sensitive; compose with lower() to ignore case).",
    params: [TEXT, { name: "part", type: "string" }],
    returns: "boolean",
    examples: [
      { expr: 'contains("12 Main St", "Main")', result: true },
      { expr: 'contains(lower("TEST account"), "test")', result: true },
    ],
    call: (args) => texts(args, 2, ([t = "", p = ""]) => t.includes(p)),
  },
  {
    name: "replace",
    description:
      "Replaces every occurrence of the literal text from (case-sensitive) with to; an empty from changes nothing.",
    params: [TEXT, { name: "from", type: "string" }, { name: "to", type: "string" }],
    returns: "string",
    examples: [
      { expr: 'replace("a.b.c", ".", "")', result: "abc" },
      { expr: 'replace("St. Kilda St", "St", "Street")', result: "Street. Kilda Street" },
    ],
    // split/join rather than replaceAll: a "$&" in `to` must stay literal.
    call: (args) =>
      texts(args, 3, ([t = "", from = "", to = ""]) => {
        if (from === "") return t;
        const parts = t.split(from);
        // Measured before joining: nested replacements could otherwise build a string too long for the engine.
        return t.length + (parts.length - 1) * (to.length - from.length) > MAX_TEXT_LENGTH
          ? null
          : parts.join(to);
      }),
  },
  {
    name: "concat",
    description:
      "Joins its arguments as text, skipping nulls as PostgreSQL's concat does (so it handles null itself); a list argument gives null.",
    params: [{ name: "value", type: STRING_LIKE }],
    variadic: true,
    returns: "string",
    acceptsNull: true,
    examples: [
      { expr: 'concat("Ann", " ", null, "Lee")', result: "Ann Lee" },
      { expr: 'concat("unit ", 4, true)', result: "unit 4true" },
    ],
    call: (args) => {
      const present = args.filter((a) => a !== null && a !== undefined);
      return texts(present, present.length, (parts) => parts.join(""));
    },
  },
];
