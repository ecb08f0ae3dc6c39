/** Property: whatever records are written, in whatever chunks the text arrives, the readers give them back. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { parseJsonArray } from "../../src/io/json-array.js";
import { parseJsonl } from "../../src/io/jsonl.js";
import { collect, cutAt } from "./io-helpers.js";

const RUNS = 300;
/**
 * Any code point but a lone surrogate (so cuts fall inside surrogate pairs), with the characters that matter to the
 * parsers often. Text decoded from a file never holds a lone surrogate: the readers take one for bytes that were
 * not UTF-8 (see record-parser.ts), which io-utf8.test.ts covers.
 */
const unit = fc.oneof(
  fc.constantFrom('"', ",", "\r", "\n", "\r\n", " ", "\\", "[", "]", "{", "}", "\uFEFF", "é", "😀", "東"),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => !/^[\uD800-\uDFFF]$/.test(c)),
);
const text = fc.string({ unit, maxLength: 12 });
const cuts = fc.array(fc.nat(), { maxLength: 12 });
const eol = fc.constantFrom("\n", "\r\n");

/** Where each item starts in the joined text, as a 1-based line number. */
function lineAt(full: string, offset: number): number {
  let line = 1;
  for (let i = full.indexOf("\n"); i !== -1 && i < offset; i = full.indexOf("\n", i + 1)) line++;
  return line;
}

function chunked(full: string, offsets: number[]): string[] {
  return cutAt(
    full,
    offsets.map((o) => o % (full.length + 1)),
  );
}

describe("CSV round trip", () => {
  // Header names are trimmed on reading, `__proto__` is dropped: generate only names that survive both.
  const name = text.filter((s) => s !== "" && s === s.trim() && s !== "__proto__");
  const table = fc.uniqueArray(name, { minLength: 1, maxLength: 6 }).chain((header) =>
    fc.record({
      header: fc.constant(header),
      // A one-column row holding null would be a blank line, which is skipped: only strings there.
      rows: fc.array(
        fc.array(header.length === 1 ? text : fc.option(text), {
          minLength: header.length,
          maxLength: header.length,
        }),
        {
          maxLength: 8,
        },
      ),
      eol,
      bom: fc.boolean(),
      finalEol: fc.boolean(),
      quoteAlways: fc.boolean(),
    }),
  );

  function field(value: string | null, quoteAlways: boolean): string {
    if (value === null) return "";
    const needsQuotes = value === "" || /[",\r\n]/.test(value) || quoteAlways;
    return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
  }

  it("reads back every value as written (strings or null), with line numbers", () => {
    fc.assert(
      fc.property(table, cuts, (t, offsets) => {
        const rows = [t.header, ...t.rows];
        const lines = rows.map((row) => row.map((v) => field(v, t.quoteAlways)).join(","));
        const body = lines.join(t.eol) + (t.finalEol ? t.eol : "");
        const full = (t.bom ? "\uFEFF" : "") + body;
        const starts: number[] = [];
        let offset = t.bom ? 1 : 0;
        for (const l of lines) {
          starts.push(offset);
          offset += l.length + t.eol.length;
        }
        const expected = t.rows.map((row, r) => ({
          record: Object.fromEntries(t.header.map((h, k) => [h, row[k]])),
          line: lineAt(full, starts[r + 1] ?? 0),
        }));
        const result = collect(parseCsv, chunked(full, offsets));
        expect(result.dead).toEqual([]);
        expect(result.records).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("JSON round trip", () => {
  const key = text.filter((k) => k !== "__proto__");
  const record = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
  // JSON has no -0 and no undefined, and the readers drop `__proto__` keys at every depth (nested ones come from
  // fc.jsonValue): compare with what is left after both.
  const viaJson = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (k: string, v: unknown) => (k === "__proto__" ? undefined : v));

  it("JSON Lines: reads back every record with its line", () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 8 }),
        eol,
        fc.boolean(),
        cuts,
        (records, sep, bom, offsets) => {
          const lines = records.map((r) => JSON.stringify(r));
          const full = (bom ? "\uFEFF" : "") + lines.join(sep);
          const result = collect(parseJsonl, chunked(full, offsets));
          expect(result.dead).toEqual([]);
          expect(result.records).toEqual(records.map((r, i) => ({ record: viaJson(r), line: i + 1 })));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("JSON array: reads back every element with the line it starts on", () => {
    const layout = fc.record({
      sep: fc.constantFrom("", "\n", "\r\n  ", " "),
      indent: fc.constantFrom(0, 2),
      bom: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 8 }),
        layout,
        cuts,
        (records, { sep, indent, bom }, offsets) => {
          const elements = records.map((r) => JSON.stringify(r, null, indent));
          let full = (bom ? "\uFEFF" : "") + "[" + sep;
          const starts: number[] = [];
          elements.forEach((e, i) => {
            starts.push(full.length);
            full += e + (i < elements.length - 1 ? "," + sep : "");
          });
          full += sep + "]" + sep;
          const result = collect(parseJsonArray, chunked(full, offsets));
          expect(result.dead).toEqual([]);
          expect(result.records).toEqual(
            records.map((r, i) => ({ record: viaJson(r), line: lineAt(full, starts[i] ?? 0) })),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
