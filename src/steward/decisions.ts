import { Document, isMap, isSeq, parseAllDocuments } from "yaml";

/** What a steward decided about one pair of records. */
export interface StewardDecision {
  action: "merge" | "never_merge";
  /** The two records, as `source:id`. */
  ids: [string, string];
  /** Who decided (from git config: `Name <email>`). */
  reviewer: string;
  /** The day it was decided, YYYY-MM-DD. */
  date: string;
  reason: string;
}

/**
 * The dedup file's text with one more entry under `decisions:` (made when missing), and nothing else changed.
 * The entry is inserted as text after the last decision (or `decisions:` is added at the end of the document),
 * rather than the whole document printed again, which would refold long strings and respace flow mappings:
 * comments, order, quoting and layout stay byte for byte, so the pull request shows the decision and nothing else.
 * `index` is the document within a multi-document YAML file; a JSON file is rewritten as JSON.
 */
export function addDecision(text: string, path: string, index: number, decision: StewardDecision): string {
  const entry = {
    [decision.action]: decision.ids,
    reviewer: decision.reviewer,
    date: decision.date,
    ...(decision.reason.trim() !== "" ? { reason: decision.reason.trim() } : {}),
  };
  if (path.endsWith(".json")) {
    const value = JSON.parse(text) as { decisions?: unknown[] };
    value.decisions = [...(value.decisions ?? []), entry];
    return `${JSON.stringify(value, null, 2)}\n`;
  }
  const documents = parseAllDocuments(text);
  const doc = documents[index];
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents))
    throw new Error(`${path}: document ${index + 1} is not a mapping`);
  const existing = doc.get("decisions", true);
  if (existing !== undefined && existing !== null && !(isSeq(existing) && !existing.flow)) {
    if (!isSeq(existing)) throw new Error(`${path}: decisions is not a list`);
    // `decisions: [...]` written as a flow list: printed again whole (the only case that reformats).
    existing.items.push(doc.createNode(entry));
    return documents.map((d) => d.toString({ lineWidth: 0, flowCollectionPadding: false })).join("");
  }
  if (isSeq(existing) && existing.range) {
    const [start, end] = existing.range;
    const column = start - (text.lastIndexOf("\n", start - 1) + 1);
    const at = end;
    const lead = text[at - 1] === "\n" ? "" : "\n";
    return text.slice(0, at) + lead + item(entry, decision.action, " ".repeat(column)) + text.slice(at);
  }
  // No decisions yet: a new key at the end of the document's mapping, indented as its other keys.
  const map = doc.contents;
  const [mapStart, mapEnd] = map.range ?? [0, text.length];
  const column = mapStart - (text.lastIndexOf("\n", mapStart - 1) + 1);
  const lead = text[mapEnd - 1] === "\n" || mapEnd === 0 ? "" : "\n";
  const pad = " ".repeat(column);
  return `${text.slice(0, mapEnd)}${lead}${pad}decisions:\n${item(entry, decision.action, `${pad}  `)}${text.slice(mapEnd)}`;
}

/** One list item of a block sequence at `indent`, its ids as a flow list, as decisions are written by hand. */
function item(entry: Record<string, unknown>, action: string, indent: string): string {
  const doc = new Document([entry]);
  const first = isSeq(doc.contents) ? doc.contents.get(0, true) : undefined;
  const ids = isMap(first) ? first.get(action, true) : undefined;
  if (isSeq(ids)) ids.flow = true;
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return body
    .trimEnd()
    .split("\n")
    .map((line) => `${indent}${line}`)
    .join("\n")
    .concat("\n");
}
