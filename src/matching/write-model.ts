import { isMap, parseAllDocuments, type Document } from "yaml";
import type { TrainResult } from "./train.js";

/** Probabilities are written to six significant digits: enough for a weight, short enough to review. */
export function roundProbability(p: number): number {
  return Number(p.toPrecision(6));
}

/**
 * The dedup file's text with the trained numbers in place: the prior, and m and u on each level (a null level
 * keeps none). Only those values change — comments, order, quoting and layout stay as written, so the pull request
 * shows the numbers and nothing else. `index` is the document within a multi-document YAML file.
 */
export function writeModel(text: string, path: string, index: number, trained: TrainResult): string {
  if (path.endsWith(".json")) {
    const value = JSON.parse(text) as Record<string, unknown>;
    apply((keys, v) => setJson(value, keys, v), trained);
    return `${JSON.stringify(value, null, 2)}\n`;
  }
  const documents = parseAllDocuments(text) as Document.Parsed[];
  const doc = documents[index];
  if (!doc || !isMap(doc.contents)) throw new Error(`${path}: document ${index + 1} is not a mapping`);
  apply((keys, v) => doc.setIn(keys, v), trained);
  // A document after the first prints the `---` it was written with.
  return documents.map((d) => d.toString({ lineWidth: 0, flowCollectionPadding: false })).join("");
}

function apply(set: (keys: (string | number)[], value: number) => void, trained: TrainResult): void {
  if (trained.prior !== undefined && trained.priorFrom === "rules")
    set(["prior"], roundProbability(trained.prior));
  trained.comparisons.forEach((c, ci) =>
    c.levels.forEach((level, k) => {
      if (level.m !== undefined) set(["comparisons", ci, "levels", k, "m"], roundProbability(level.m));
      if (level.u !== undefined) set(["comparisons", ci, "levels", k, "u"], roundProbability(level.u));
    }),
  );
}

function setJson(root: Record<string, unknown>, keys: (string | number)[], value: number): void {
  let node: unknown = root;
  for (const key of keys.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[keys.at(-1) as string | number] = value;
}
