import { isAlias, isMap, isPair, isScalar, isSeq } from "yaml";
import type { Document, Node } from "yaml";

/** Deepest nesting of collections accepted; real config nests fewer than 10 levels. */
export const MAX_DEPTH = 64;
/** Alias nodes per document. yaml looks each one up by scanning the document's anchors, so they are bounded. */
export const MAX_ALIASES = 1000;
/** Nodes that aliases may add when expanded (a "billion laughs" document adds billions). */
export const MAX_ALIAS_EXPANSION = 100_000;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export interface StructureProblem {
  code: "yaml/too-deep" | "yaml/forbidden-key" | "yaml/alias-bomb" | "yaml/alias-cycle" | "yaml/syntax";
  start: number;
  end: number;
  message: string;
}

export interface Inspection {
  /** Offsets of every key that repeats an earlier key of its mapping. */
  duplicateKeys: number[];
  /** The first problem that makes the document unsafe to turn into plain values. */
  problem: StructureProblem | undefined;
}

/**
 * One linear walk over a parsed document, before anything builds plain values from it: depth, forbidden keys,
 * duplicate keys, and aliases. yaml's own duplicate-key check compares each key with every earlier one (quadratic:
 * 40,000 keys take half a minute), and its alias expansion resolves each alias by scanning the document, so both
 * are done here instead. An alias that refers to a collection containing it would make a cyclic value, which
 * every later walk over the value would follow forever: it is reported and the value is never built.
 *
 * Recursion is bounded by MAX_DEPTH: the walk does not descend past it.
 */
export function inspectDocument(doc: Document.Parsed): Inspection {
  const walk = new Walk();
  walk.visit(doc.contents, 0);
  if (walk.problem === undefined) walk.dropUnusedAnchors();
  return { duplicateKeys: walk.duplicateKeys, problem: walk.problem };
}

class Walk {
  duplicateKeys: number[] = [];
  problem: StructureProblem | undefined;
  /** The last node seen with each anchor, as yaml resolves aliases: the latest one before the alias. */
  private anchors = new Map<string, Node>();
  private anchored: Node[] = [];
  private referenced = new Set<Node>();
  /** Collections being walked, outermost first: an alias to one of them is a cycle. */
  private open = new Set<Node>();
  /** Expanded size of each anchored node. */
  private sizes = new Map<Node, number>();
  private aliases = 0;
  private expansion = 0;

  /** Walks a node; returns its size with aliases expanded. */
  visit(node: unknown, depth: number): number {
    if (isAlias(node)) return this.alias(node.source, node.range?.[0] ?? 0);
    if (!isMap(node) && !isSeq(node)) {
      if (isScalar(node) && node.anchor !== undefined) this.anchor(node, 1);
      return 1;
    }
    const [start = 0] = node.range ?? [];
    if (depth >= MAX_DEPTH) {
      this.report("yaml/too-deep", start, start + 1, `Collections nest deeper than ${MAX_DEPTH} levels.`);
      return 1;
    }
    if (node.anchor !== undefined) this.anchor(node, 0);
    this.open.add(node);
    let size = 1;
    const keys = isMap(node) ? new Set<unknown>() : undefined;
    for (const item of node.items) {
      if (!isPair(item)) {
        size += this.visit(item, depth + 1);
        continue;
      }
      if (isScalar(item.key)) this.checkKey(item.key, keys);
      size += this.visit(item.key, depth + 1) + this.visit(item.value, depth + 1);
    }
    this.open.delete(node);
    if (node.anchor !== undefined) this.sizes.set(node, size);
    return size;
  }

  /**
   * Anchors nothing refers to are dropped before plain values are built: yaml finds an alias's anchor by scanning
   * every anchor and alias before it, so 100,000 unused anchors would make each of 1,000 scans that long.
   */
  dropUnusedAnchors(): void {
    // Only past MAX_ALIASES anchors: below, the scan is short, and yaml writes an anchor into the string a
    // collection used as a key becomes, so dropping it would change that key.
    if (this.aliases === 0 || this.anchored.length <= MAX_ALIASES) return;
    for (const node of this.anchored) if (!this.referenced.has(node)) delete node.anchor;
  }

  private checkKey(key: Node & { value?: unknown; range?: Node["range"] }, keys: Set<unknown> | undefined): void {
    const [start = 0, end = start + 1] = key.range ?? [];
    const value = key.value;
    if (FORBIDDEN_KEYS.has(String(value))) {
      this.report(
        "yaml/forbidden-key",
        start,
        end,
        `Key "${String(value)}" is not allowed: it could change object prototypes.`,
      );
    }
    // yaml's rule: scalar keys are equal when their values are (===), so `1` and `"1"` differ and NaN never repeats;
    // merge keys (`<<`, a symbol) may repeat.
    if (!keys || Number.isNaN(value) || typeof value === "symbol") return;
    if (keys.has(value)) this.duplicateKeys.push(start);
    else keys.add(value);
  }

  private anchor(node: Node, size: number): void {
    this.anchors.set(node.anchor as string, node);
    this.anchored.push(node);
    if (size > 0) this.sizes.set(node, size);
  }

  private alias(source: string, start: number): number {
    const target = this.anchors.get(source);
    if (target === undefined) {
      this.report(
        "yaml/syntax",
        start,
        start + 1,
        `Unresolved alias (the anchor must be set before the alias): ${source}.`,
      );
      return 1;
    }
    this.referenced.add(target);
    if (this.open.has(target)) {
      this.report(
        "yaml/alias-cycle",
        start,
        start + 1 + source.length,
        `Alias *${source} refers to a collection that contains it, so its value would be infinite.`,
      );
      return 1;
    }
    const size = this.sizes.get(target) ?? 1;
    this.aliases++;
    this.expansion += size;
    if (this.aliases > MAX_ALIASES) {
      this.report("yaml/alias-bomb", start, start + 1, `More than ${MAX_ALIASES.toLocaleString("en-US")} aliases.`);
    } else if (this.expansion > MAX_ALIAS_EXPANSION) {
      this.report(
        "yaml/alias-bomb",
        start,
        start + 1,
        `Aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString("en-US")} nodes.`,
      );
    }
    return size;
  }

  private report(code: StructureProblem["code"], start: number, end: number, message: string): void {
    this.problem ??= { code, start, end, message };
  }
}
