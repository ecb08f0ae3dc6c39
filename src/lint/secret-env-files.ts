/** `.env`, `.env.local`, `.env.production`, `prod.env`: the files dotenv and shells read `KEY=value` lines from. */
const ENV_FILE_NAME = /(?:^|\/)(?:\.env(?:\.[^/]*)?|[^/]+\.env)$/i;

export function isEnvFile(path: string): boolean {
  return ENV_FILE_NAME.test(path);
}

/** One `KEY=value` assignment of an env file; `start`/`end` cover the value as written (quotes included). */
export interface EnvAssignment {
  key: string;
  value: string;
  start: number;
  end: number;
}

/** `export KEY=`, `KEY =`: the key part of a line, up to the value. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;
/** `$NAME` or `${NAME}`: the value comes from another variable, so it holds no secret itself. */
const REFERENCE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\})$/;

/**
 * Reads the assignments of an env file as dotenv does: `export` is allowed, `#` starts a comment at a line's start
 * or after whitespace in an unquoted value, single and double quotes may span lines, and `\"` does not close a
 * double-quoted value. Lines that are not assignments are left to the caller. Linear in the text.
 */
export function envAssignments(text: string): {
  assignments: EnvAssignment[];
  otherLines: [number, number][];
} {
  const assignments: EnvAssignment[] = [];
  const otherLines: [number, number][] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const head = ASSIGNMENT.exec(line);
    if (!head) {
      if (line.trim() !== "" && !line.trimStart().startsWith("#")) otherLines.push([lineStart, lineEnd]);
      lineStart = lineEnd + 1;
      continue;
    }
    const key = head[1] ?? "";
    const start = lineStart + head[0].length;
    const quote = text[start];
    let end: number;
    let value: string;
    if (quote === '"' || quote === "'") {
      // A value's closing quote ends the scan there, and a value with none is the last of its quote: each character
      // is looked at a bounded number of times.
      const close = closingQuote(text, start + 1, quote);
      end = close === -1 ? lineEnd : close + 1;
      value = text.slice(start + 1, close === -1 ? lineEnd : close);
      if (quote === '"') value = value.replace(/\\(["\\$`])/g, "$1").replace(/\\n/g, "\n");
    } else {
      const comment = /(?:^|[ \t])#/.exec(line.slice(head[0].length));
      end = comment ? start + comment.index : lineEnd;
      value = text.slice(start, end).trimEnd();
      end = start + value.length;
    }
    if (value !== "" && !REFERENCE.test(value.trim())) assignments.push({ key, value, start, end });
    const next = text.indexOf("\n", end);
    lineStart = next === -1 ? text.length : next + 1;
  }
  return { assignments, otherLines };
}

function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\" && quote === '"') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
