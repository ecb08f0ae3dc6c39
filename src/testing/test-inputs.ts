import { join, posix } from "node:path";
import { readRecords } from "../io/records.js";
import type { InputRequest, OpenOptions } from "../pipeline/session.js";
import type { TestCase } from "../types/index.js";

export interface TestInput {
  source: string;
  entity?: string | undefined;
  input?: string | undefined;
  given?: object[] | undefined;
}

/** A test's inputs: its own source, then its `also:` sources, which map onto the test's entity unless they name one. */
export function testInputs(spec: TestCase): TestInput[] {
  return [
    { source: spec.source, entity: spec.entity, input: spec.input, given: spec.given },
    ...(spec.also ?? []).map((a) => ({ ...a, entity: a.entity ?? spec.entity })),
  ];
}

/**
 * A run request for one test input: inline `given` records, or the file (relative to the test's folder `dir`) read
 * in its mapping's format. Dead letters of the main pass go to `onDeadLetter`, by line only.
 */
export function testInputRequest(
  root: string,
  dir: string,
  input: TestInput,
  onDeadLetter?: (line: number) => void,
): InputRequest {
  return {
    source: input.source,
    entity: input.entity,
    open: ({ prepass, format, csv, plainText }: OpenOptions) =>
      input.given !== undefined
        ? input.given.map((record, i) => ({ record: record as Record<string, unknown>, line: i + 1 }))
        : readRecords(join(root, posix.join(dir, input.input ?? "")), {
            ...(format ? { format } : {}),
            ...csv,
            ...(plainText ? { plainText } : {}),
            // Only line numbers: a parser's reason may quote the record, which can hold personal data.
            ...(prepass || !onDeadLetter
              ? {}
              : { onDeadLetter: (d: { line: number }) => onDeadLetter(d.line) }),
          }),
  };
}
