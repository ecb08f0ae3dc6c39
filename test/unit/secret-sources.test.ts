import { describe, expect, it } from "vitest";
import { envAssignments, isEnvFile } from "../../src/lint/secret-env-files.js";
import { yamlPropertyWords } from "../../src/lint/secret-tags.js";

const join = (...parts: string[]): string => parts.join("");
const github = join("gh", "p_", "zZ9yY8xX7wW6vV5uU4tT3sS2rR1qQ0pP9oO8");

describe("yamlPropertyWords: tags, anchors, aliases and %TAG words, where the parser sees them", () => {
  const text = [
    `%TAG !e! tag:${github}:`,
    "---",
    `a: &${github}`,
    `  x: !<tag:${github}> hello`,
    `  y: !${github} value`,
    `  !k_${github} z: 1`,
    `  m: !e!foo { q: 1, r: !x [ !y 2 ] }`,
    `  s: "quoted !${github} &no" # comment !${github}`,
    "  b: |",
    `    block !${github} &no`,
    "  c: a != b",
    `  d: *${github}`,
    "",
  ].join("\n");

  it("finds each with its offsets and its name as the parser's messages quote it", () => {
    const words = yamlPropertyWords(text);
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.source);
    expect(words.map((w) => [w.kind, w.name])).toEqual([
      ["directive", "%TAG"],
      ["directive", "!e!"],
      ["directive", `tag:${github}:`],
      ["anchor", github],
      ["tag", `tag:${github}`],
      ["tag", github],
      ["tag", `k_${github}`],
      ["tag", "foo"],
      ["tag", "x"],
      ["tag", "y"],
      ["alias", github],
    ]);
  });

  it("does not lex a file that cannot hold one", () => {
    const text = `when: a != b && c\nschedule: '*/15 * * * *'\ncron: "0 * * * *"\nvalue: x * 2\n`;
    expect(yamlPropertyWords(text)).toEqual([]);
  });
});

describe("envAssignments: KEY=value lines as dotenv reads them", () => {
  it("reads export, quotes, escapes, comments and multi-line values, and skips references", () => {
    const text = [
      "# a comment",
      "export DB_PASSWORD=hunter2hunter2",
      'API_TOKEN="correct \\"horse\\" battery" # monthly',
      "SESSION_SECRET='s3ss10n-s3cr3t'",
      "PLAIN = value with spaces # trailing",
      "HASH=abc#not-a-comment",
      'PEM="-----BEGIN',
      'two lines"',
      "REF=${DB_PASSWORD}",
      "ALSO=$DB_PASSWORD",
      "EMPTY=",
      "not an assignment line",
      "",
    ].join("\n");
    const { assignments, otherLines } = envAssignments(text);
    expect(assignments.map((a) => [a.key, a.value])).toEqual([
      ["DB_PASSWORD", "hunter2hunter2"],
      ["API_TOKEN", 'correct "horse" battery'],
      ["SESSION_SECRET", "s3ss10n-s3cr3t"],
      ["PLAIN", "value with spaces"],
      ["HASH", "abc#not-a-comment"],
      ["PEM", "-----BEGIN\ntwo lines"],
    ]);
    expect(text.slice(assignments[0]?.start, assignments[0]?.end)).toBe("hunter2hunter2");
    expect(text.slice(assignments[1]?.start, assignments[1]?.end)).toBe('"correct \\"horse\\" battery"');
    expect(otherLines.map(([from, to]) => text.slice(from, to))).toEqual(["not an assignment line"]);
  });

  it("stays linear on a file of lines that each open a quote", () => {
    // Each line's quote closes the one before, as dotenv reads them: half as many values as lines.
    const text = 'K="x\n'.repeat(200_000) + "L='y\n".repeat(200_000);
    const started = Date.now();
    expect(envAssignments(text).assignments).toHaveLength(200_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("knows env files by name", () => {
    for (const path of ["env/.env", "env/prod.env", "config/.env.local", "env/.env.production"])
      expect(isEnvFile(path)).toBe(true);
    for (const path of ["env/test.yaml", "config/samples/env.csv", "config/environment.txt"])
      expect(isEnvFile(path)).toBe(false);
  });
});
