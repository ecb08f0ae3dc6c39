/**
 * Validation of standard 5-field cron expressions (the Vixie/cronie dialect that schedulers in config
 * commonly accept). Every problem carries the offset and length of the offending token so diagnostics can
 * underline exactly the text the author has to change.
 */

export interface CronProblem {
  message: string;
  /** 0-based offset of the offending field or token within the expression string. */
  offset: number;
  length: number;
}

interface Token {
  text: string;
  offset: number;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Three-letter names; a name's value is `min + index` (JAN = 1, SUN = 0). */
  names?: readonly string[];
  nameKind?: string;
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  {
    name: "month",
    min: 1,
    max: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    nameKind: "month",
  },
  // 7 is accepted as a second spelling of Sunday, as cron does.
  {
    name: "day-of-week",
    min: 0,
    max: 7,
    names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    nameKind: "day",
  },
];

const MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

const problem = (message: string, token: Token): CronProblem => ({
  message,
  offset: token.offset,
  length: token.text.length,
});

export function checkCron(expr: string): CronProblem | undefined {
  // Fields keep their offsets so problems point into the original string, whatever the spacing.
  const fields: Token[] = [...expr.matchAll(/\S+/g)].map((m) => ({ text: m[0], offset: m.index }));
  const first = fields[0];
  const last = fields.at(-1);
  if (first === undefined || last === undefined) {
    return { message: "empty expression", offset: 0, length: expr.length };
  }
  if (first.text.startsWith("@")) return checkMacro(first, fields[1], last);
  if (fields.length !== FIELDS.length) {
    // Usually a Quartz/Spring-style seconds (or year) field; underline everything, since we cannot tell which.
    const all = { text: expr.slice(first.offset, last.offset + last.text.length), offset: first.offset };
    return problem(
      `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`,
      all,
    );
  }
  for (const [i, spec] of FIELDS.entries()) {
    const field = fields[i];
    const found = field && checkField(field, spec);
    if (found) return found;
  }
  return undefined;
}

function checkMacro(macro: Token, extra: Token | undefined, last: Token): CronProblem | undefined {
  if (!MACROS.includes(macro.text.toLowerCase())) {
    return problem(`unknown macro "${macro.text}" (expected one of ${MACROS.join(", ")})`, macro);
  }
  if (extra === undefined) return undefined;
  return {
    message: `macro "${macro.text}" must be the whole expression`,
    offset: extra.offset,
    length: last.offset + last.text.length - extra.offset,
  };
}

function checkField(field: Token, spec: FieldSpec): CronProblem | undefined {
  let offset = field.offset;
  for (const text of field.text.split(",")) {
    if (text === "") {
      // Underline a neighbouring comma: an empty item has no text of its own.
      const comma = offset > field.offset ? offset - 1 : offset;
      return { message: `empty list item in ${spec.name} field`, offset: comma, length: 1 };
    }
    const found = checkItem({ text, offset }, spec);
    if (found) return found;
    offset += text.length + 1;
  }
  return undefined;
}

/** One list item: `*`, a value or a range `a-b`, optionally followed by a step `/n`. */
function checkItem(item: Token, spec: FieldSpec): CronProblem | undefined {
  const slash = item.text.indexOf("/");
  const base = { text: slash === -1 ? item.text : item.text.slice(0, slash), offset: item.offset };
  const dash = base.text.indexOf("-");
  if (dash === -1) {
    if (base.text !== "*") {
      const value = parseValue(base, spec);
      if (typeof value !== "number") return value;
    }
  } else {
    const low = { text: base.text.slice(0, dash), offset: base.offset };
    const high = { text: base.text.slice(dash + 1), offset: base.offset + dash + 1 };
    if (low.text === "" || high.text === "")
      return problem(`incomplete range "${base.text}" in ${spec.name} field`, base);
    const from = parseValue(low, spec);
    if (typeof from !== "number") return from;
    const to = parseValue(high, spec);
    if (typeof to !== "number") return to;
    if (from > to) return problem(`range ${base.text} is reversed`, base);
  }
  if (slash === -1) return undefined;

  const step = { text: item.text.slice(slash + 1), offset: item.offset + slash + 1 };
  if (!/^\d+$/.test(step.text))
    return problem(`step "${step.text}" in ${spec.name} field is not a number`, step);
  const n = Number(step.text);
  if (n === 0) return problem("step 0 is not allowed", step);
  // A step wider than the field fires only once, which is almost always a mistake (e.g. */60 for hourly).
  if (n > spec.max - spec.min) {
    return problem(`step ${step.text} is larger than the ${spec.name} range ${spec.min}-${spec.max}`, step);
  }
  // Quartz allows "5/15"; standard cron needs an explicit range or "*" for the step to walk over.
  if (base.text !== "*" && dash === -1) {
    return problem(
      `step needs "*" or a range before "/", e.g. "*/${step.text}" or "${base.text}-${spec.max}/${step.text}"`,
      item,
    );
  }
  return undefined;
}

function parseValue(token: Token, spec: FieldSpec): number | CronProblem {
  if (/^\d+$/.test(token.text)) {
    const value = Number(token.text);
    if (value < spec.min || value > spec.max) {
      return problem(`${spec.name} value ${token.text} is out of range ${spec.min}-${spec.max}`, token);
    }
    return value;
  }
  if (/^[a-z]+$/i.test(token.text)) {
    if (spec.names === undefined) return problem(`${spec.name} value "${token.text}" is not a number`, token);
    const index = spec.names.indexOf(token.text.toUpperCase());
    if (index === -1) return problem(`unknown ${spec.nameKind ?? spec.name} name "${token.text}"`, token);
    return spec.min + index;
  }
  if (token.text === "?") return problem(`"?" is Quartz syntax; standard cron uses "*"`, token);
  return problem(`invalid ${spec.name} value "${token.text}"`, token);
}
