/**
 * Reads dates and datetimes written the ways records hold them. Without a format: ISO 8601 (`2024-05-01`,
 * `2024-05-01T10:00:00Z`) and day-first `D/M/YYYY` (also with "." or "-"), the order used in AU, the UK and most of
 * Europe; US month-first dates need format="MM/DD/YYYY". Either may be followed by a time and a UTC offset.
 */
import { type CivilDate, isValidDate } from "./calendar.js";

export interface DateTimeParts {
  date: CivilDate;
  /** Seconds since midnight, as written (0 when there is no time). */
  seconds: number;
  /** The written UTC offset in minutes; null when none was written. */
  offsetMinutes: number | null;
}

/** A regex matching the date at the start of the text, and which capture group holds each field. */
interface DatePattern {
  regex: RegExp;
  year: number;
  month: number;
  day: number;
}

const DEFAULT_PATTERNS: readonly DatePattern[] = [
  { regex: /^(\d{4})-(\d{2})-(\d{2})/, year: 1, month: 2, day: 3 },
  { regex: /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})/, day: 1, month: 3, year: 4 },
];

// After the date: "T" or spaces, H:mm[:ss[.fraction]], then optionally a zone. Fractions of a second are dropped.
const TIME = /^(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const TOKEN = /(YYYY|MM|DD)/;
const formats = new Map<string, DatePattern | null>();

/**
 * Compiles a format such as "DD/MM/YYYY", "MM/DD/YYYY" or "YYYYMMDD": YYYY, MM and DD each exactly once, anything
 * else literal but letters (so "YY" or "HH" is an error, null, rather than text to match). MM and DD take one or
 * two digits between separators and exactly two when packed against another field.
 */
function compileFormat(format: string): DatePattern | null {
  const known = formats.get(format);
  if (known !== undefined) return known;
  const parts = format.split(TOKEN);
  const tokens = parts.filter((_, i) => i % 2 === 1);
  const literals = parts.filter((_, i) => i % 2 === 0);
  const ok = ["YYYY", "MM", "DD"].every((t) => tokens.filter((x) => x === t).length === 1);
  let pattern: DatePattern | null = null;
  if (ok && tokens.length === 3 && literals.every((l) => !/[A-Za-z]/.test(l))) {
    const group = (t: string) => tokens.indexOf(t) + 1;
    const source = parts
      .map((part, i) => {
        if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
        if (part === "YYYY") return "(\\d{4})";
        const packed = (i > 1 && parts[i - 1] === "") || (i < parts.length - 2 && parts[i + 1] === "");
        return packed ? "(\\d{2})" : "(\\d{1,2})";
      })
      .join("");
    pattern = { regex: new RegExp(`^${source}`), year: group("YYYY"), month: group("MM"), day: group("DD") };
  }
  if (formats.size >= 100) formats.clear();
  formats.set(format, pattern);
  return pattern;
}

/** The date (and time, if any) of text after trimming; null when it has another shape or names no real day. */
export function parseDateTime(input: string, format?: string): DateTimeParts | null {
  const text = input.trim();
  if (format === undefined) {
    const iso = parseIsoDateTime(text);
    if (iso !== undefined) return iso;
  }
  return parseByPatterns(text, format);
}

/**
 * The commonest shapes read by hand, without a regex: `YYYY-MM-DD`, then optionally `THH:MM:SS` and `Z` or
 * `+HH:MM`/`-HH:MM`. Undefined for any other text (the patterns below decide it, and give the same answer for these).
 */
function parseIsoDateTime(text: string): DateTimeParts | null | undefined {
  const length = text.length;
  if (length !== 10 && length !== 19 && length !== 20 && length !== 25) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH)
    return undefined;
  const date = { year, month, day };
  if (length === 10) return isValidDate(date) ? { date, seconds: 0, offsetMinutes: null } : null;
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (text.charCodeAt(10) !== T || text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON)
    return undefined;
  if (hour < 0 || minute < 0 || second < 0) return undefined;
  let offsetMinutes: number | null = null;
  if (length === 20) {
    if (text.charCodeAt(19) !== Z) return undefined;
    offsetMinutes = 0;
  } else if (length === 25) {
    const sign = text.charCodeAt(19);
    const hours = digits(text, 20, 2);
    const minutes = digits(text, 23, 2);
    if ((sign !== PLUS && sign !== DASH) || hours < 0 || minutes < 0 || text.charCodeAt(22) !== COLON)
      return undefined;
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
  }
  if (!isValidDate(date) || hour > 23 || minute > 59 || second > 59) return null;
  return { date, seconds: hour * 3600 + minute * 60 + second, offsetMinutes };
}

const DASH = 45;
const COLON = 58;
const PLUS = 43;
const T = 84;
const Z = 90;

/** The number written by `count` ASCII digits at `from`, or -1 when one of them is not a digit. */
function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** parseDateTime by the regexes: every shape, and any format. */
export function parseByPatterns(text: string, format?: string): DateTimeParts | null {
  const custom = format === undefined ? undefined : compileFormat(format);
  if (custom === null) return null;
  for (const pattern of custom ? [custom] : DEFAULT_PATTERNS) {
    const match = pattern.regex.exec(text);
    if (match === null) continue;
    const field = (i: number) => Number(match[i]);
    const date = { year: field(pattern.year), month: field(pattern.month), day: field(pattern.day) };
    if (!isValidDate(date)) return null;
    const rest = text.slice(match[0].length);
    if (rest === "") return { date, seconds: 0, offsetMinutes: null };
    const time = TIME.exec(rest);
    if (time === null) return null;
    const [hour, minute, second] = [time[1], time[2], time[3] ?? "0"].map(Number) as [number, number, number];
    const offsetMinutes = parseOffset(time[4]);
    if (hour > 23 || minute > 59 || second > 59 || offsetMinutes === undefined) return null;
    return { date, seconds: hour * 3600 + minute * 60 + second, offsetMinutes };
  }
  return null;
}

/** Minutes east of UTC; null when no zone is written, undefined when the written one is impossible. */
function parseOffset(zone: string | undefined): number | null | undefined {
  if (zone === undefined) return null;
  if (zone.toUpperCase() === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}
