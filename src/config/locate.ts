import { isMap, isSeq, isPair, isScalar, isAlias, isNode } from "yaml";
import type { Alias, Node, Pair, YAMLMap } from "yaml";
import { codes, type DiagnosticCode } from "../diagnostics/codes.js";
import type { Diagnostic, NodePath, Severity } from "../diagnostics/diagnostic.js";
import type { ConfigDocument } from "./source-file.js";

export interface Range {
  start: number;
  end: number;
}

/** Which part of a mapping entry a finding is about: its key (unknown property) or its value (wrong type). */
export type NodePart = "key" | "value";

export interface DiagnosticOptions {
  hint?: string | undefined;
  severity?: Severity;
  path?: NodePath;
}

/** What locating needs of a file: its path, and offsets to lines and columns (yaml's LineCounter). */
export interface Locatable {
  path: string;
  lines: { linePos(offset: number): { line: number; col: number } };
}

const firstLine: Locatable["lines"] = { linePos: () => ({ line: 1, col: 1 }) };

export function makeDiagnostic(
  file: Locatable,
  code: DiagnosticCode,
  start: number,
  end: number,
  message: string,
  options: DiagnosticOptions = {},
): Diagnostic {
  const from = file.lines.linePos(start);
  const to = file.lines.linePos(Math.max(end, start));
  const diagnostic: Diagnostic = {
    code,
    severity: options.severity ?? codes[code].severity,
    message,
    file: file.path,
    line: from.line,
    column: from.col,
    endLine: to.line,
    endColumn: to.col,
    path: options.path ?? [],
  };
  // Every finding says how to fix it: the code's documented fix unless the caller knows better.
  diagnostic.hint = options.hint ?? codes[code].fix;
  return diagnostic;
}

/** A diagnostic about a whole file, possibly one that does not exist yet: at its first line. */
export function fileDiagnostic(
  path: string,
  code: DiagnosticCode,
  message: string,
  options: DiagnosticOptions = {},
): Diagnostic {
  return makeDiagnostic({ path, lines: firstLine }, code, 0, 0, message, options);
}

/** A diagnostic about the node at `path` in a document, located at that node's own line and column. */
export function diagnosticAt(
  doc: ConfigDocument,
  path: NodePath,
  code: DiagnosticCode,
  message: string,
  options: DiagnosticOptions & { part?: NodePart } = {},
): Diagnostic {
  const range = locate(doc, path, options.part ?? "value");
  return makeDiagnostic(doc.file, code, range.start, range.end, message, { ...options, path });
}

/**
 * The source range of the node at `path`. When the path leads nowhere (a missing property), the nearest existing
 * ancestor is used, so a finding always lands on a real line. For a key, the range is the key itself.
 */
export function locate(doc: ConfigDocument, path: NodePath, part: NodePart = "value"): Range {
  let node: unknown = doc.yaml.contents;
  let pair: Pair | undefined;
  let best: Range = rangeOf(node) ?? { start: 0, end: 0 };
  for (const segment of path) {
    if (isAlias(node)) node = resolveAlias(doc, node);
    if (isMap(node)) {
      pair = pairsByKey(node).get(String(segment));
    } else if (isSeq(node) && typeof segment === "number") {
      pair = undefined;
      const item = node.items[segment];
      node = item;
      best = rangeOf(item) ?? best;
      continue;
    } else {
      return best;
    }
    if (!pair) return best;
    node = pair.value;
    best = rangeOf(node) ?? rangeOf(pair.key) ?? best;
  }
  if (part === "key" && pair) return rangeOf(pair.key) ?? best;
  return best;
}

const aliasTargets = new WeakMap<Alias, unknown>();

/** yaml resolves an alias by walking the whole document; findings under one alias resolve it once. */
function resolveAlias(doc: ConfigDocument, alias: Alias): unknown {
  if (!aliasTargets.has(alias)) aliasTargets.set(alias, alias.resolve(doc.yaml));
  return aliasTargets.get(alias);
}

const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

/**
 * A mapping's entries by key, built once per mapping: a finding per key of a 100,000-key mapping would otherwise
 * scan it 100,000 times. The first entry wins, as a linear search would find it.
 */
function pairsByKey(node: YAMLMap): Map<string, Pair> {
  let index = pairIndexes.get(node);
  if (!index) {
    index = new Map();
    for (const p of node.items) {
      if (!isScalar(p.key)) continue;
      const key = String(p.key.value);
      if (!index.has(key)) index.set(key, p);
    }
    pairIndexes.set(node, index);
  }
  return index;
}

function rangeOf(node: unknown): Range | undefined {
  if (!isNode(node) && !isPair(node)) return undefined;
  const range = (node as Node).range;
  if (!range) return undefined;
  // range = [start, valueEnd, nodeEnd]; valueEnd leaves out trailing comments and blank lines.
  return { start: range[0], end: range[1] };
}

/**
 * The source range of characters [offset, offset + length) of the string at `path`. Exact for plain scalars and
 * for quoted ones without escapes (the common case). Otherwise — escapes, `''` in single quotes, block scalars
 * (`|`, `>`), folded lines — the value's characters are aligned with the source text, skipping what YAML removed
 * (quotes, backslashes, indentation), which lands on the right character in practice. When the alignment fails,
 * the whole scalar.
 */
export function locateInString(doc: ConfigDocument, path: NodePath, offset: number, length: number): Range {
  const whole = locate(doc, path, "value");
  const node = doc.yaml.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== "string") return whole;
  const value = node.value;
  const source = doc.file.text.slice(whole.start, whole.end);
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
  const inner = quoted ? source.slice(1, -1) : source;
  if (inner === value) {
    const start = whole.start + (quoted ? 1 : 0) + offset;
    return { start, end: start + Math.max(length, 1) };
  }
  const from = align(source, value, offset);
  if (from === undefined) return whole;
  const to = align(source, value, Math.min(offset + Math.max(length, 1), value.length) - 1);
  return { start: whole.start + from, end: whole.start + (to === undefined ? from : to) + 1 };
}

/** The index in `source` of the value's character at `index`, matching characters in order (greedy). */
function align(source: string, value: string, index: number): number | undefined {
  let s = 0;
  for (let v = 0; v <= index; v++) {
    const c = value[v];
    while (s < source.length && source[s] !== c) s++;
    if (s >= source.length) return undefined;
    if (v < index) s++;
  }
  return s;
}
