import { LineCounter, isAlias, isMap, isPair, isSeq } from "yaml";
import type { Document, YAMLError } from "yaml";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "./locate.js";
import { readYamlDocuments } from "./yaml-read.js";
import { inspectDocument } from "./yaml-structure.js";

export { MAX_DEPTH } from "./yaml-structure.js";

/** Config files are small; anything larger is a mistake, and reading it would cost the whole run. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface SourceFile {
  /** Project-relative, forward slashes. */
  path: string;
  text: string;
  lines: LineCounter;
  documents: ConfigDocument[];
}

export interface ConfigDocument {
  file: SourceFile;
  /** 0-based index of the document within its file. */
  index: number;
  yaml: Document.Parsed;
  /** The plain value; undefined when the document could not be read safely. */
  value: unknown;
}

export interface ParsedFile {
  file: SourceFile;
  diagnostics: Diagnostic[];
}

/** Decodes and parses one file. Pure: the caller reads the bytes. Never throws on bad input. */
export function parseSourceFile(
  path: string,
  bytes: Uint8Array,
  size = bytes.length,
  unreadable?: string,
): ParsedFile {
  const lines = new LineCounter();
  const file: SourceFile = { path, text: "", lines, documents: [] };
  const diagnostics: Diagnostic[] = [];
  const at = (code: Parameters<typeof makeDiagnostic>[1], start: number, end: number, message: string) =>
    diagnostics.push(makeDiagnostic(file, code, start, end, message));

  if (unreadable !== undefined) {
    indexLines(file);
    at("file/unreadable", 0, 0, `File cannot be read: ${unreadable}.`);
    return { file, diagnostics };
  }
  if (size > MAX_FILE_BYTES) {
    indexLines(file);
    at("file/too-large", 0, 0, `File is ${formatBytes(size)}; clue reads config files up to 5 MiB.`);
    return { file, diagnostics };
  }
  const decoded = decodeUtf8(bytes);
  if (typeof decoded !== "string") {
    // Lines are only meaningful up to the offending byte; count them in the valid prefix.
    file.text = new TextDecoder().decode(bytes.subarray(0, decoded.offset));
    indexLines(file);
    const what = decoded.nul ? "a NUL byte" : "bytes that are not UTF-8";
    at("file/binary", file.text.length, file.text.length, `File is binary or not UTF-8: ${what} here.`);
    file.text = ""; // binary content is never echoed in a code frame
    return { file, diagnostics };
  }
  file.text = decoded;
  indexLines(file);

  if (/\.json$/i.test(path)) {
    const comment = /^[ \t]*(\/\/|\/\*)/m.exec(file.text);
    if (comment) {
      const start = comment.index + comment[0].length - 2;
      diagnostics.push(
        makeDiagnostic(file, "yaml/syntax", start, start + 2, "JSON does not allow comments.", {
          hint: "Remove the comment, or write the file as YAML (.yaml), which allows `# comments`.",
        }),
      );
      return { file, diagnostics };
    }
  }
  const read = readYamlDocuments(file.text);
  if (read.problem) {
    const { code, start, end, message } = read.problem;
    at(code, start, end, message);
    return { file, diagnostics };
  }
  read.documents.forEach((yaml, index) => {
    // A trailing `---` or a comment-only tail makes an empty document; it is no resource.
    if (yaml.contents === null && yaml.errors.length === 0) return;
    const doc: ConfigDocument = { file, index, yaml, value: undefined };
    file.documents.push(doc);
    const { duplicateKeys, problem } = inspectDocument(yaml);
    const duplicates = duplicateKeys.map((start) =>
      makeDiagnostic(file, "yaml/duplicate-key", start, start + 1, "Map keys must be unique.", {
        hint: yamlHints.DUPLICATE_KEY,
      }),
    );
    // One mistake often makes the parser complain several times on its line; the first complaint is the useful one.
    // A duplicate key before a syntax error on its line counts as the first, as when yaml reported both.
    const firstDuplicate = new Map<number, number>();
    duplicates.forEach((d, i) => {
      if (!firstDuplicate.has(d.line)) firstDuplicate.set(d.line, duplicateKeys[i] as number);
    });
    const lines = new Set<number>();
    for (const e of yaml.errors) {
      const d = yamlErrorDiagnostic(file, e);
      const afterDuplicate = (firstDuplicate.get(d.line) ?? Infinity) < e.pos[0];
      if ((lines.has(d.line) || afterDuplicate) && d.code === "yaml/syntax") continue;
      lines.add(d.line);
      diagnostics.push(d);
    }
    for (const d of duplicates) diagnostics.push(d);
    for (const w of yaml.warnings) diagnostics.push(yamlErrorDiagnostic(file, w, "yaml/warning"));
    if (yaml.errors.length > 0 || duplicateKeys.length > 0) return;
    if (problem) {
      at(problem.code, problem.start, problem.end, problem.message);
      return;
    }
    try {
      // Aliases were counted and sized by inspectDocument; yaml's own count walks the document once per alias.
      doc.value = yaml.toJS({ maxAliasCount: -1 });
    } catch (error) {
      // Not expected after inspectDocument; bad input all the same, not a bug.
      const start = firstAliasOffset(yaml.contents) ?? 0;
      const message = error instanceof Error ? error.message : String(error);
      at("yaml/syntax", start, start + 1, `${message.replace(/\.$/, "")}.`);
    }
  });
  if (file.documents.length === 0 && diagnostics.length === 0) {
    at("file/empty", 0, 0, "File holds no YAML document.");
  }
  return { file, diagnostics };
}

/** A file kept as text only (not parsed), with its lines indexed for locations. */
export function textFile(path: string, text: string): SourceFile {
  const file: SourceFile = { path, text, lines: new LineCounter(), documents: [] };
  indexLines(file);
  return file;
}

function indexLines(file: SourceFile): void {
  file.lines.addNewLine(0);
  for (let i = file.text.indexOf("\n"); i !== -1; i = file.text.indexOf("\n", i + 1))
    file.lines.addNewLine(i + 1);
}

/** Hints for the parser's commonest complaints, by yaml's error code; the rest get the code's documented fix. */
const yamlHints: Record<string, string> = {
  BAD_INDENT:
    "Indent the entries of one block alike (with spaces), and close every `[` or `{` before the next key.",
  BLOCK_AS_IMPLICIT_KEY:
    "A key and its `:` go on one line; check the indentation here and on the line above.",
  MULTILINE_IMPLICIT_KEY:
    "A key and its `:` go on one line; check the indentation here and on the line above.",
  TAB_AS_INDENT: "Indent with spaces: YAML does not allow tabs for indentation.",
  DUPLICATE_KEY: "Keep one of the two keys: YAML parsers disagree on which one wins.",
  MISSING_CHAR:
    "Add the missing character; quote values that contain `: `, ` #`, or start with `[`, `{`, `*`, `&` or `!`.",
  UNEXPECTED_TOKEN:
    "Quote values that contain `: `, ` #`, or start with `[`, `{`, `*`, `&`, `!`, `%` or `@`.",
};

function yamlErrorDiagnostic(file: SourceFile, e: YAMLError, code?: "yaml/warning"): Diagnostic {
  const [start, end] = e.pos;
  const message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "");
  const resolved = code ?? (e.code === "DUPLICATE_KEY" ? "yaml/duplicate-key" : "yaml/syntax");
  return makeDiagnostic(
    file,
    resolved,
    start,
    Math.max(end, start + 1),
    `${message}.`.replace(/\.\.$/, "."),
    {
      hint: /\balias\b/.test(message)
        ? 'A value starting with `*` or `&` is read as an alias or anchor: quote it, e.g. `schedule: "*/15 * * * *"`.'
        : yamlHints[e.code],
    },
  );
}

function firstAliasOffset(node: unknown): number | undefined {
  if (isAlias(node)) return node.range?.[0];
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = isPair(item)
        ? (firstAliasOffset(item.key) ?? firstAliasOffset(item.value))
        : firstAliasOffset(item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const fatalDecoder = new TextDecoder("utf-8", { fatal: true });

/** The text, or where the first NUL or invalid byte is. A BOM is dropped. */
function decodeUtf8(bytes: Uint8Array): string | { offset: number; nul: boolean } {
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { offset: nul, nul: true };
  try {
    return fatalDecoder.decode(bytes);
  } catch {
    // Binary search for the longest prefix that decodes; streaming mode tolerates a cut multi-byte character.
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    return { offset: lo, nul: false };
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}
