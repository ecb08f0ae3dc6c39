/**
 * RE2 patterns (as src/regex/translate.ts writes them) in Java's regex syntax, which Spark's RLIKE and
 * regexp_replace use. translate.ts spells out every character set, so what differs is small: `$` is the end of the
 * text in RE2 but also matches before a final line end in Java (so it becomes `\z`); `\b` is ASCII in RE2 but
 * Unicode-aware in Java 17 (so it becomes look-arounds over ASCII word characters); named groups are `(?P<n>…)` in
 * RE2 and `(?<n>…)` in Java; case-insensitive groups fold Unicode in RE2 and only ASCII in Java without `u`; and a
 * script property is `\p{Greek}` in RE2 and `\p{IsGreek}` in Java.
 *
 * One difference stays: Java's engine backtracks, so a pattern with nested repetition (`(a+)+`) can take time
 * exponential in the text on Spark, where RE2 takes linear time (docs/pending/spark.md says so).
 */

const WORD = "[0-9A-Za-z_]";
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const NOT_BOUNDARY = `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;

/** General categories (what Java also names as they are); any other property name is a script. */
const CATEGORIES = new Set(
  "L Lu Ll Lt Lm Lo LC M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn".split(
    " ",
  ),
);

export function re2ToJava(re2: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < re2.length; i++) {
    const c = re2[i] as string;
    if (c === "\\") {
      const next = re2[i + 1] ?? "";
      if ((next === "p" || next === "P") && re2[i + 2] === "{") {
        const end = re2.indexOf("}", i + 3);
        const name = re2.slice(i + 3, end);
        out += `\\${next}{${CATEGORIES.has(name) ? name : `Is${name}`}}`;
        i = end;
        continue;
      }
      if (!inClass && next === "b") out += BOUNDARY;
      else if (!inClass && next === "B") out += NOT_BOUNDARY;
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (re2[i + 1] === "^") {
        out += "^";
        i++;
      }
      continue;
    }
    if (c === "$") out += "\\z";
    else if (re2.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
    } else if (re2.startsWith("(?i:", i)) {
      out += "(?iu:";
      i += 3;
    } else if (re2.startsWith("(?-i:", i)) {
      out += "(?-iu:";
      i += 4;
    } else out += c;
  }
  return out;
}

/** The number of capturing groups of an RE2 pattern. */
export function groupCount(re2: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < re2.length; i++) {
    const c = re2[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(" && (re2[i + 1] !== "?" || re2.startsWith("(?P<", i))) count++;
  }
  return count;
}

/**
 * A JavaScript replacement text (`$1`, `$<name>`, `$&`, `$$`) as Java's (`$1`, `${name}`, `$0`, `\$`), or undefined
 * when it refers to something Java cannot say the same way (`` $` ``, `$'`, a group the pattern does not have).
 */
export function replacementToJava(
  js: string,
  groups: number,
  names: ReadonlySet<string>,
): string | undefined {
  let out = "";
  for (let i = 0; i < js.length; i++) {
    const c = js[i] as string;
    if (c === "\\") {
      out += "\\\\";
      continue;
    }
    if (c !== "$") {
      out += c;
      continue;
    }
    const next = js[i + 1] ?? "";
    if (next === "$") {
      out += "\\$";
      i++;
    } else if (next === "&") {
      out += "$0";
      i++;
    } else if (/[0-9]/.test(next)) {
      // JavaScript reads two digits when that group exists, else one; with no such group the text stays literal.
      const two = js.slice(i + 1, i + 3);
      const n2 = /^[0-9]{2}$/.test(two) ? Number(two) : 0;
      const n1 = Number(next);
      if (n2 >= 1 && n2 <= groups) {
        out += `$${n2}`;
        i += 2;
      } else if (n1 >= 1 && n1 <= groups) {
        out += `$${n1}`;
        i++;
      } else return undefined;
    } else if (next === "<") {
      const end = js.indexOf(">", i + 2);
      const name = end === -1 ? "" : js.slice(i + 2, end);
      if (!names.has(name)) return undefined;
      out += `\${${name}}`;
      i = end;
    } else if (next === "`" || next === "'") return undefined;
    else out += "\\$";
  }
  return out;
}

/** The names of an RE2 pattern's named groups. */
export function groupNames(re2: string): Set<string> {
  return new Set([...re2.matchAll(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1] as string));
}
