/**
 * Worker threads read a file in pieces (src/parallel/pieces.ts): the main thread cuts the text where records end,
 * each piece is parsed by a fresh parser that starts there, and what cannot be cut (a JSON array, a CSV header, a
 * record over the size limit) is parsed on the main thread. Whatever the text and however it is chunked, the pieces
 * must give the same records and dead letters, batch for batch, as the one-thread parser given the same chunks: the
 * dead letters of a batch come before its records, so a run writes the same dead-letter file either way.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCsvParser, type CsvDialect } from "../../src/io/csv.js";
import { createJsonArrayParser } from "../../src/io/json-array.js";
import { createJsonlParser } from "../../src/io/jsonl.js";
import type { DeadLetter, ParserOptions, RecordParser } from "../../src/io/record-parser.js";
import type { TextFormat } from "../../src/io/records.js";
import { csvCutter, jsonlCutter } from "../../src/parallel/cut.js";
import { parsePiece, PieceCutter } from "../../src/parallel/pieces.js";
import { cutAt } from "./io-helpers.js";

type Event = { dead: DeadLetter } | { line: number; record: Record<string, unknown> } | { error: string };

const PATH = "data.txt";

function oneThread(format: TextFormat, chunks: string[], dialect: CsvDialect, max: number): Event[] {
  const events: Event[] = [];
  let letters: DeadLetter[] = [];
  const options: ParserOptions & CsvDialect = {
    path: PATH,
    onDeadLetter: (d) => letters.push(d),
    maxRecordChars: max,
    ...dialect,
  };
  const parser: RecordParser =
    format === "csv"
      ? createCsvParser(options)
      : format === "json"
        ? createJsonArrayParser(options)
        : createJsonlParser(options);
  const batch = (run: () => { record: Record<string, unknown>; line: number }[]) => {
    letters = [];
    const records = run();
    events.push(...letters.map((dead) => ({ dead })), ...records);
  };
  try {
    for (const chunk of chunks) batch(() => parser.push(chunk));
    batch(() => parser.end());
  } catch (error) {
    events.push(...letters.map((dead) => ({ dead })), { error: (error as Error).message });
  }
  return events;
}

function inPieces(format: TextFormat, chunks: string[], dialect: CsvDialect, max: number): Event[] {
  const events: Event[] = [];
  const cutter = new PieceCutter(PATH, format, dialect, max);
  const take = (pieces: Iterable<ReturnType<typeof cutter.push> extends Iterable<infer P> ? P : never>) => {
    for (const piece of pieces) {
      if (piece.kind === "records") {
        events.push(...piece.deadLetters.map((dead) => ({ dead })), ...piece.records);
        continue;
      }
      const letters: DeadLetter[] = [];
      const records = parsePiece(piece, PATH, dialect, (d) => letters.push(d), max);
      events.push(...letters.map((dead) => ({ dead })), ...records);
    }
  };
  try {
    for (const chunk of chunks) take(cutter.push(chunk));
    take(cutter.end());
  } catch (error) {
    events.push({ error: (error as Error).message });
  }
  return events;
}

/** Texts made of the pieces that matter to each format's scanner. */
const csvText = fc
  .array(fc.constantFrom("a", "bc", ",", '"', '""', "\n", "\r\n", "\r", " ", "é", "😀", "\uDFFF", "x,y"), {
    maxLength: 80,
  })
  .map((parts) => `h1,h2\n${parts.join("")}`);
const jsonlText = fc
  .array(
    fc.constantFrom(
      '{"a":1}',
      '{"b":"x\\ny"}',
      "\n",
      "\r\n",
      " ",
      "{",
      "}",
      '"',
      "[1]",
      "{}",
      '{"c":"é😀"}',
      "\uDFFF",
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));
const jsonText = fc
  .array(fc.constantFrom('{"a":1}', ",", "\n", "[", "]", '{"b":"x]"}', "{", " "), { maxLength: 40 })
  .map((parts) => `[${parts.join("")}]`);
const dialects = fc.constantFrom<CsvDialect>({}, { delimiter: ";" }, { skipInitialSpace: true });

describe("pieces for worker threads", () => {
  const agree = (format: TextFormat, text: fc.Arbitrary<string>) =>
    fc.assert(
      fc.property(
        text,
        fc.array(fc.nat(400), { maxLength: 6 }),
        dialects,
        fc.constantFrom(1_000_000, 12),
        (whole, offsets, dialect, max) => {
          const chunks = cutAt(whole, offsets).filter((c) => c !== "");
          expect(inPieces(format, chunks, dialect, max)).toEqual(oneThread(format, chunks, dialect, max));
        },
      ),
      { numRuns: 600 },
    );

  it("read CSV as one thread does, batch for batch, whatever the quotes, line ends and chunks", () =>
    agree("csv", csvText));
  it("read JSON Lines as one thread does, batch for batch", () => agree("jsonl", jsonlText));
  it("read a JSON array as one thread does (it is parsed on the main thread)", () => agree("json", jsonText));

  it("start at the right line and keep a BOM only at the start of the file", () => {
    const text = '\uFEFF{"a":1}\n{"a":2}\n\uFEFF{"a":3}\nnot json\n';
    const chunks = [text.slice(0, 9), text.slice(9, 20), text.slice(20)];
    const events = inPieces("jsonl", chunks, {}, 1_000_000);
    expect(events).toEqual(oneThread("jsonl", chunks, {}, 1_000_000));
    expect(events.map((e) => ("line" in e ? e.line : "dead" in e ? `dead ${e.dead.line}` : e.error))).toEqual(
      [1, 2, "dead 3", "dead 4"],
    );
  });

  it("cut CSV only where a record ends: not inside quotes, and at the next line end after a stray quote", () => {
    const cut = (text: string, dialect: CsvDialect = {}) => csvCutter(dialect).cut(text);
    expect(cut('a,"b\nc"\nd')).toBe(8);
    expect(cut('a,"b\nc')).toBe(-1);
    expect(cut('ab"c\nd,e\nf')).toBe(9);
    expect(cut('"a"x\n"b\n')).toBe(5);
    expect(cut(' "a\nb,c\n', { skipInitialSpace: true })).toBe(-1);
    expect(cut(' "a\nb,c\n')).toBe(8);
    expect(jsonlCutter().cut("{}\n{")).toBe(3);
  });
});
