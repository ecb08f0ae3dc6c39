/** Shared by the io-*.test.ts files: ways to cut a text into chunks, and a collector of dead letters. */
import type { DeadLetter, ParserOptions, SourceRecord } from "../../src/io/record-parser.js";

/** The text whole, one character per chunk, and every cut into two: every boundary a parser can meet. */
export function* everySplit(text: string): Generator<string[]> {
  yield [text];
  yield [...text.split(""), ""];
  for (let i = 0; i <= text.length; i++) yield [text.slice(0, i), text.slice(i)];
}

/** Cuts `text` at the given offsets (sorted, clamped); fast-check supplies random ones. */
export function cutAt(text: string, offsets: number[]): string[] {
  const points = [...new Set(offsets.map((o) => Math.min(Math.max(0, o), text.length)))].sort(
    (a, b) => a - b,
  );
  const chunks: string[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(text.slice(from, p));
    from = p;
  }
  chunks.push(text.slice(from));
  return chunks;
}

type Parse<O extends ParserOptions> = (chunks: Iterable<string>, options?: O) => Iterable<SourceRecord>;

export interface ParseResult {
  records: SourceRecord[];
  dead: DeadLetter[];
}

export function collect<O extends ParserOptions>(
  parse: Parse<O>,
  chunks: Iterable<string>,
  options?: O,
): ParseResult {
  const dead: DeadLetter[] = [];
  const onDeadLetter = (d: DeadLetter): void => void dead.push(d);
  const records = [...parse(chunks, { ...options, onDeadLetter } as O)];
  return { records, dead };
}

/**
 * Parses `text` under every split and checks they all agree, returning the result of the whole text: chunking
 * must never change what a parser reads.
 */
export function parseAllWays<O extends ParserOptions>(
  parse: Parse<O>,
  text: string,
  options?: O,
): ParseResult {
  const [whole, ...others] = [...everySplit(text)].map((chunks) => ({
    chunks,
    result: collect(parse, chunks, options),
  }));
  for (const other of others) {
    const same = JSON.stringify(other.result) === JSON.stringify(whole?.result);
    if (!same) {
      throw new Error(
        `chunks ${JSON.stringify(other.chunks)} read ${JSON.stringify(other.result)}, whole text ${JSON.stringify(whole?.result)}`,
      );
    }
  }
  return whole!.result;
}

export function lines(result: ParseResult): number[] {
  return result.records.map((r) => r.line);
}
