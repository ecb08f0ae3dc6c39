/**
 * Dates and datetimes, as ISO 8601 strings (SPEC: they compare and sort as text). Pure: nothing here reads the
 * clock, so age_years takes the day to measure on and results never change between runs.
 */
import type { FunctionDef, ParamDef } from "../function-def.js";
import type { Value } from "../types.js";
import { type CivilDate, daysFromCivil, formatDate, formatDateTime } from "./calendar.js";
import { asText } from "./coerce.js";
import { parseDateTime, type DateTimeParts } from "./date-parse.js";

const FORMAT: ParamDef = {
  name: "format",
  type: "string",
  optional: true,
  description: 'Field order such as "DD/MM/YYYY", "MM/DD/YYYY" or "YYYYMMDD".',
};
const DATE: ParamDef = { name: "date", type: ["date", "datetime"] };
const DATE_PAIR: readonly ParamDef[] = [
  { name: "a", type: ["date", "datetime"] },
  { name: "b", type: ["date", "datetime"] },
];

function parts(value: Value | undefined, format?: Value): DateTimeParts | null {
  const text = asText(value);
  const fmt = format === undefined ? undefined : asText(format);
  return text === null || fmt === null ? null : parseDateTime(text, fmt);
}

/** The calendar date as written (a datetime's own date, not converted to UTC). */
function dateOf(value: Value | undefined): CivilDate | null {
  return parts(value)?.date ?? null;
}

/**
 * The day number of text's date, remembered: a comparison level such as `abs(days_between(a, b)) <= 365` runs on
 * every pair a dedup compares, and would otherwise parse each record's date again for each pair and level. Bounded,
 * as a run may see millions of distinct datetimes.
 */
const dayNumbers = new Map<string, number | null>();
const DAY_NUMBERS_KEPT = 65_536;

function dayNumberOf(value: Value | undefined): number | null {
  if (typeof value !== "string") {
    const date = dateOf(value);
    return date === null ? null : daysFromCivil(date);
  }
  const known = dayNumbers.get(value);
  if (known !== undefined) return known;
  const date = dateOf(value);
  const day = date === null ? null : daysFromCivil(date);
  if (dayNumbers.size >= DAY_NUMBERS_KEPT) dayNumbers.clear();
  dayNumbers.set(value, day);
  return day;
}

/** Days from the date of `start` to the date of `end` (each as written), or null when either is not a date. */
function daysFromTo(start: Value | undefined, end: Value | undefined): number | null {
  const a = dayNumberOf(start);
  const b = a === null ? null : dayNumberOf(end);
  return a === null || b === null ? null : b - a;
}

const EPOCH_SECONDS_MIN = daysFromCivil({ year: 1, month: 1, day: 1 }) * 86400;
const EPOCH_SECONDS_MAX = (daysFromCivil({ year: 9999, month: 12, day: 31 }) + 1) * 86400;

function datePart(
  name: "year" | "month" | "day",
  description: string,
  expr: string,
  result: number,
): FunctionDef {
  return {
    name,
    description,
    params: [DATE],
    returns: "number",
    examples: [
      { expr, result },
      { expr: `${name}("2023-02-30")`, result: null },
    ],
    call: ([value]) => dateOf(value)?.[name] ?? null,
  };
}

export const dateFunctions: readonly FunctionDef[] = [
  {
    name: "to_date",
    description:
      "The date in text as YYYY-MM-DD: ISO dates and datetimes (their date as written) or day-first D/M/YYYY unless format says otherwise; impossible dates give null.",
    // A number too: YYYYMMDD dates often arrive as integers from spreadsheets and ERP exports.
    params: [{ name: "text", type: ["string", "number"] }, FORMAT],
    returns: "date",
    examples: [
      { expr: 'to_date("29/02/2024")', result: "2024-02-29" },
      { expr: 'to_date("2023-02-30")', result: null },
      { expr: 'to_date("05/01/2024", format="MM/DD/YYYY")', result: "2024-05-01" },
      { expr: 'to_date(20240501, "YYYYMMDD")', result: "2024-05-01" },
      { expr: 'to_date("2024-05-01T23:30:00-05:00")', result: "2024-05-01" },
    ],
    call: ([value, format]) => {
      const parsed = parts(value, format);
      return parsed === null ? null : formatDate(parsed.date);
    },
  },
  {
    name: "to_datetime",
    description:
      "The datetime in text as ISO 8601 UTC (YYYY-MM-DDTHH:mm:ssZ): a written offset is applied, no offset means UTC, a bare date means midnight; seconds' fractions are dropped.",
    params: [{ name: "text", type: "string" }, FORMAT],
    returns: "datetime",
    examples: [
      { expr: 'to_datetime("2024-05-01T10:00:00+10:00")', result: "2024-05-01T00:00:00Z" },
      { expr: 'to_datetime("1/5/2024 9:30")', result: "2024-05-01T09:30:00Z" },
      { expr: 'to_datetime("2024-05-01")', result: "2024-05-01T00:00:00Z" },
      { expr: 'to_datetime("2024-05-01T25:00:00Z")', result: null },
    ],
    call: ([value, format]) => {
      const parsed = parts(value, format);
      if (parsed === null) return null;
      const epoch = daysFromCivil(parsed.date) * 86400 + parsed.seconds - (parsed.offsetMinutes ?? 0) * 60;
      // An offset can push a datetime at the edge of year 1 or 9999 out of what four-digit years can say.
      return epoch < EPOCH_SECONDS_MIN || epoch >= EPOCH_SECONDS_MAX ? null : formatDateTime(epoch);
    },
  },
  datePart(
    "year",
    "The year of a date or datetime (as written, not converted to UTC).",
    'year("2024-05-01")',
    2024,
  ),
  datePart(
    "month",
    "The month (1-12) of a date or datetime, as written.",
    'month("2024-05-01T10:00:00Z")',
    5,
  ),
  datePart("day", "The day of the month (1-31) of a date or datetime, as written.", 'day("29/02/2024")', 29),
  {
    name: "age_years",
    description:
      "Whole years from date to on_date (negative when on_date is earlier); someone born on 29 February turns a year older on 1 March in common years.",
    params: [DATE, { name: "on_date", type: ["date", "datetime"] }],
    returns: "number",
    examples: [
      { expr: 'age_years("1990-05-01", "2024-04-30")', result: 33 },
      { expr: 'age_years("1990-05-01", "2024-05-01")', result: 34 },
      { expr: 'age_years("2000-02-29", "2023-02-28")', result: 22 },
    ],
    call: ([from, to]) => {
      const a = dateOf(from);
      const b = dateOf(to);
      if (a === null || b === null) return null;
      const [early, late, sign] = daysFromCivil(a) <= daysFromCivil(b) ? [a, b, 1] : [b, a, -1];
      const beforeAnniversary =
        late.month < early.month || (late.month === early.month && late.day < early.day);
      const years = late.year - early.year - (beforeAnniversary ? 1 : 0);
      return years === 0 ? 0 : sign * years;
    },
  },
  {
    name: "days_between",
    description: "Days from start to end (negative when end is earlier), by the dates as written.",
    params: [
      { name: "start", type: ["date", "datetime"] },
      { name: "end", type: ["date", "datetime"] },
    ],
    returns: "number",
    examples: [
      { expr: 'days_between("2024-02-28", "2024-03-01")', result: 2 },
      { expr: 'days_between("2023-03-01", "2023-02-28")', result: -1 },
    ],
    call: ([start, end]) => daysFromTo(start, end),
  },
  {
    name: "days_apart",
    description:
      "Days between two dates in either order (abs(days_between(a, b))), by the dates as written: a distance for comparing dates of birth.",
    params: DATE_PAIR,
    returns: "number",
    examples: [
      { expr: 'days_apart("2024-03-01", "2024-02-28")', result: 2 },
      { expr: 'days_apart("1990-05-01", "01/05/1990")', result: 0 },
      { expr: 'days_apart("2024-05-01T23:30:00Z", "2024-05-02")', result: 1 },
    ],
    call: ([a, b]) => {
      const days = daysFromTo(a, b);
      return days === null ? null : Math.abs(days);
    },
  },
  {
    name: "dates_swapped",
    description:
      "Whether two different dates of the same year have day and month exchanged (1990-03-04 and 1990-04-03): the typing slip between day-first and month-first dates.",
    params: DATE_PAIR,
    returns: "boolean",
    examples: [
      { expr: 'dates_swapped("1990-03-04", "1990-04-03")', result: true },
      { expr: 'dates_swapped("1990-03-04", "1991-04-03")', result: false },
      { expr: 'dates_swapped("1990-03-03", "1990-03-03")', result: false },
      { expr: 'dates_swapped("1990-01-13", "1990-13-01")', result: null },
    ],
    call: ([x, y]) => {
      const a = dateOf(x);
      const b = dateOf(y);
      if (a === null || b === null) return null;
      return a.year === b.year && a.month === b.day && a.day === b.month && a.month !== a.day;
    },
  },
];
