import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { parseSourceFile } from "../../src/config/source-file.js";

const parse = (text: string) => parseSourceFile("config/x.yaml", new TextEncoder().encode(text));
const findings = (text: string) => parse(text).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);

/** Times a parse; bounds are generous (the machine may be busy) and far below what the quadratic code took. */
function timed<T>(run: () => T): { result: T; ms: number } {
  const started = Date.now();
  const result = run();
  return { result, ms: Date.now() - started };
}

describe("duplicate keys", () => {
  it("are the keys yaml's own check reports, at the same places", () => {
    const key = fc.constantFrom(
      "a",
      "b",
      "'a'",
      '"a"',
      "1",
      "'1'",
      "01",
      "0x1",
      "true",
      "True",
      "~",
      "null",
      "",
      ".nan",
      "-0",
      "0",
    );
    const entries = fc.array(fc.tuple(key, fc.boolean()), { minLength: 1, maxLength: 8 });
    const text = entries.map((list) =>
      list.map(([k, nested]) => (nested ? `${k}: { ${k}: 1, ${k}: 2 }` : `${k}: 1`)).join("\n"),
    );
    fc.assert(
      fc.property(text, (source) => {
        const theirs = parseAllDocuments(source, { uniqueKeys: true })
          .flatMap((doc) => doc.errors)
          .filter((e) => e.code === "DUPLICATE_KEY")
          .map((e) => e.pos[0]);
        const file = parse(source);
        const ours = file.diagnostics
          .filter((d) => d.code === "yaml/duplicate-key")
          .map((d) => offsetOf(source, d.line, d.column));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 500 },
    );
  });

  it("are found in linear time: 100,000 distinct keys, then one repeated", () => {
    // yaml compares each key with every earlier one: 40,000 keys took half a minute.
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1\n`).join("");
    const { result, ms } = timed(() => findings(`${keys}k5: 2\n`));
    expect(result).toEqual(["yaml/duplicate-key 100001:1"]);
    expect(ms).toBeLessThan(15_000);
  });

  it("do not include merge keys", () => {
    const file = parse("a: &a { x: 1 }\nb: &b { y: 2 }\nc:\n  <<: *a\n  <<: *b\n");
    expect(file.diagnostics).toEqual([]);
    expect(file.file.documents[0]?.value).toEqual({ a: { x: 1 }, b: { y: 2 }, c: { x: 1, y: 2 } });
  });
});

describe("aliases", () => {
  it("an alias inside the collection it names is a cycle, located at the alias", () => {
    expect(findings("a: &a [1, *a]\n")).toEqual(["yaml/alias-cycle 1:11"]);
    expect(findings("x:\n  y: &m\n    z: { w: *m }\n")).toEqual(["yaml/alias-cycle 3:13"]);
  });

  it("an alias to an earlier sibling is fine, and its value is shared", () => {
    const file = parse("a: &a [1, 2]\nb: [*a, *a]\n");
    expect(file.diagnostics).toEqual([]);
    expect(file.file.documents[0]?.value).toEqual({
      a: [1, 2],
      b: [
        [1, 2],
        [1, 2],
      ],
    });
  });

  it("an unresolved alias is located at itself", () => {
    expect(findings("a: &x 1\nb: *x\nc: [1, *nowhere]\n")).toEqual(["yaml/syntax 3:8"]);
  });

  it("a billion laughs is refused where its expansion passes 100,000 nodes", () => {
    const levels = "abcdefghi".split("").map(
      (n, i, all) =>
        `${n}: &${n} [${Array(9)
          .fill(i === 0 ? '"x"' : `*${all[i - 1]}`)
          .join(",")}]`,
    );
    expect(findings(`${levels.join("\n")}\n`)).toEqual(["yaml/alias-bomb 6:8"]);
  });

  it("more than 1,000 aliases are refused, before yaml looks each one up by scanning the document", () => {
    const anchors = Array.from({ length: 50_000 }, (_, i) => `a${i}: &a${i} ${i}\n`).join("");
    const aliases = Array.from({ length: 50_000 }, (_, i) => `b${i}: *a${i}\n`).join("");
    const { result, ms } = timed(() => findings(anchors + aliases));
    // The 1,001st alias: `b1000: *a1000` on line 50,000 + 1,001.
    expect(result).toEqual(["yaml/alias-bomb 51001:8"]);
    expect(ms).toBeLessThan(15_000);
  });

  it("1,000 aliases among 100,000 unused anchors build quickly", () => {
    const anchors = Array.from({ length: 100_000 }, (_, i) => `a${i}: &a${i} ${i}\n`).join("");
    const aliases = Array.from({ length: 1000 }, (_, i) => `b${i}: *a${99_999 - i}\n`).join("");
    const { result, ms } = timed(() => parse(anchors + aliases));
    expect(result.diagnostics).toEqual([]);
    expect((result.file.documents[0]?.value as Record<string, unknown>).b999).toBe(99_000);
    expect(ms).toBeLessThan(15_000);
  });
});

describe("nesting and size", () => {
  it("64 levels are read, 65 are not", () => {
    expect(findings(`${"- ".repeat(64)}x\n`)).toEqual([]);
    expect(findings(`${"- ".repeat(65)}x\n`)).toEqual(["yaml/too-deep 1:129"]);
    expect(findings(`${"? ".repeat(65)}x\n`)).toEqual(["yaml/too-deep 1:129"]);
  });

  it("block indicators inside a block scalar are text, not nesting", () => {
    const file = parse(`a: |\n  ${"- ".repeat(1000)}x\n`);
    expect(file.diagnostics).toEqual([]);
    expect(file.file.documents[0]?.value).toEqual({ a: `${"- ".repeat(1000)}x\n` });
  });

  it("deep nesting by indentation is found in the syntax tree, before yaml composes it recursively", () => {
    const text = Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}a:\n`).join("");
    expect(findings(text)).toEqual(["yaml/too-deep 65:65"]);
  });

  it("a file of more than a million tokens is refused at the token that passes the limit", () => {
    // `[` is token 1, then every character is one: token 1,000,001 starts at offset 1,000,000.
    const { result, ms } = timed(() => findings(`[${"1,".repeat(600_000)}1]\n`));
    expect(result).toEqual(["file/too-large 1:1000001"]);
    expect(ms).toBeLessThan(15_000);
  });
});

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf("\n", offset) + 1;
  return offset + column - 1;
}
