/**
 * Given-name equivalence for names_equivalent and canonical_name: the bundled nickname list (data/nicknames/, read
 * once, on first use) and a user's reference table, each turned into links between names and one key per name.
 *
 * The list is many-to-many ("alex" is a nickname of both alexander and alexandra, which are not the same name), so
 * no single key per name can put every linked pair together. Keys follow each nickname to one full name, so that a
 * key is a name the list knows and a full name is its own key; names_equivalent accepts a pair that shares a key or
 * that the list links directly, so equal keys always imply equivalent names (a blocking key that finds pairs the
 * comparison then accepts). docs/functions.md (canonical_name) says what the key does not promise.
 */
import { readFileSync } from "node:fs";
import type { ReferenceTable } from "../function-def.js";
import { textOf } from "../types.js";
import { stripAccents } from "./text.js";

/** Names as compared: lowercase, accents removed (as strip_accents), whitespace trimmed and collapsed. */
export function foldName(text: string): string {
  return stripAccents(text.toLowerCase()).replace(/\s+/gu, " ").trim();
}

/** Links between folded names and each one's key; names absent from both maps are their own key. */
export interface NameIndex {
  /** Every name linked to the name (nickname of it, or it a nickname of them), either direction. */
  readonly linked: ReadonlyMap<string, ReadonlySet<string>>;
  readonly key: ReadonlyMap<string, string>;
}

const RELATIONSHIP = "has_nickname";

/**
 * The (full name, nickname) pairs of the list's CSV: a header `name1,relationship,name2`, then one triple a line.
 * The list has no quoting, so lines are split on commas; rows of another relationship (the format allows more)
 * are skipped, and a malformed file throws rather than matching on half a list.
 */
export function parseNicknameList(text: string): [string, string][] {
  const lines = text.split(/\r?\n/).filter((line) => line !== "");
  if (lines[0] !== "name1,relationship,name2") throw new Error("The nickname list has an unexpected header.");
  const pairs: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.split(",");
    if (fields.length !== 3) throw new Error(`The nickname list has a malformed row: ${line}`);
    const [full = "", relationship, nickname = ""] = fields;
    if (relationship !== RELATIONSHIP) continue;
    const a = foldName(full);
    const b = foldName(nickname);
    if (a !== "" && b !== "" && a !== b) pairs.push([a, b]);
  }
  return pairs;
}

/** Adds `item` to the set at `key`, making the set on first use. */
function add(map: Map<string, Set<string>>, key: string, item: string): void {
  const set = map.get(key);
  if (set) set.add(item);
  else map.set(key, new Set([item]));
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Links and keys of (full name, nickname) pairs. The list also has rows the other way round (bill → william) and
 * translations (miguel → michael), so "full name" is read off the pair, not the column: of a pair, the full name is
 * the longer name (in code points), or at equal length the one listed with more nicknames, then the alphabetically
 * first. A name with no full name is its own key; any other takes the key of one of its full names: preferably one
 * that has no full name itself (so fred keys to wilfred rather than, through willie, to william), and among those
 * the one whose linked names overlap most with its own, then the one with more nicknames, then the alphabetically
 * first. Full names outrank their nicknames in a strict order, so following them always ends.
 */
export function buildNameIndex(pairs: Iterable<readonly [string, string]>): NameIndex {
  const nicknames = new Map<string, Set<string>>();
  const linked = new Map<string, Set<string>>();
  for (const [full, nickname] of pairs) {
    add(nicknames, full, nickname);
    add(linked, full, nickname);
    add(linked, nickname, full);
  }
  const count = (name: string) => nicknames.get(name)?.size ?? 0;
  const length = (name: string) => [...name].length;
  const outranks = (m: string, n: string) =>
    length(m) !== length(n) ? length(m) > length(n) : count(m) !== count(n) ? count(m) > count(n) : m < n;
  const shared = (n: string, m: string) => {
    const own = linked.get(n) ?? NONE;
    let common = 0;
    for (const x of linked.get(m) ?? NONE) if (x === n || own.has(x)) common++;
    // Counted with themselves: n is among m's links (found above), m among n's (the 1).
    return common + 1;
  };

  const fullNames = new Map<string, string[]>();
  for (const [n, links] of linked)
    fullNames.set(
      n,
      [...links].filter((m) => nicknames.get(m)?.has(n) === true && outranks(m, n)),
    );
  const isRoot = (m: string) => (fullNames.get(m) ?? []).length === 0;

  /** The full name whose key n takes, or undefined when n is a full name itself. */
  const fullNameOf = (n: string): string | undefined => {
    const all = fullNames.get(n) ?? [];
    const roots = all.filter(isRoot);
    let best: string | undefined;
    let bestShared = 0;
    for (const m of roots.length > 0 ? roots : all) {
      const s = shared(n, m);
      if (
        best === undefined ||
        s > bestShared ||
        (s === bestShared && (count(m) > count(best) || (count(m) === count(best) && m < best)))
      ) {
        best = m;
        bestShared = s;
      }
    }
    return best;
  };

  const key = new Map<string, string>();
  for (const name of linked.keys()) {
    const path: string[] = [];
    let current = name;
    let found = key.get(current);
    while (found === undefined) {
      path.push(current);
      const next = fullNameOf(current);
      if (next === undefined) found = current;
      else {
        current = next;
        found = key.get(current);
      }
    }
    for (const n of path) key.set(n, found);
  }
  return { linked, key };
}

let bundled: NameIndex | undefined;

/**
 * The index of the bundled list, read on first use from data/nicknames/names.csv beside the package (the file is
 * in the npm package; the path is relative to this module, which sits at the same depth in src/ and dist/).
 */
export function bundledNames(): NameIndex {
  bundled ??= buildNameIndex(
    parseNicknameList(readFileSync(new URL("../../../data/nicknames/names.csv", import.meta.url), "utf8")),
  );
  return bundled;
}

/** A user's name table: each name it mentions (either column), with its key. */
export interface NameTable {
  readonly key: ReadonlyMap<string, string>;
}

const tableIndexes = new WeakMap<ReferenceTable, NameTable>();

/**
 * The keys of a reference table whose first column is a name and second its canonical form (folded like every
 * name). A canonical that has a row of its own is followed (liz → beth → elizabeth), so keys are final; a cycle
 * takes its alphabetically first name. Rows with a blank name or canonical are skipped; a name listed twice takes
 * its last row, as lookup() does. Indexed once per table.
 */
export function nameTable(table: ReferenceTable): NameTable {
  const known = tableIndexes.get(table);
  if (known) return known;
  const [first = "", second = first] = table.columns;
  const canonical = new Map<string, string>();
  for (const row of table.rows) {
    const name = foldName(textOf(row[first] ?? ""));
    const to = foldName(textOf(row[second] ?? ""));
    if (name !== "" && to !== "") canonical.set(name, to);
  }
  const key = new Map<string, string>();
  for (const start of new Set([...canonical.keys(), ...canonical.values()])) {
    const path = new Set<string>();
    let current = start;
    while (!key.has(current) && !path.has(current) && canonical.has(current)) {
      path.add(current);
      current = canonical.get(current) as string;
    }
    let found = key.get(current) ?? current;
    if (path.has(current)) {
      const order = [...path];
      found = order.slice(order.indexOf(current)).sort()[0] ?? current;
    }
    for (const n of path) key.set(n, found);
    if (!key.has(current)) key.set(current, found);
  }
  const index: NameTable = { key };
  tableIndexes.set(table, index);
  return index;
}

/**
 * The key of a folded name: a name the table mentions takes the table's key; any other takes the list's key, and
 * then the table's key of that when the table mentions it (so a table entry for "william" also moves "bill").
 */
export function nameKey(name: string, list: NameIndex, table: NameTable | undefined): string {
  const fromTable = table?.key.get(name);
  if (fromTable !== undefined) return fromTable;
  const fromList = list.key.get(name) ?? name;
  return table?.key.get(fromList) ?? fromList;
}

/**
 * Whether two folded names are the same name: equal, equal keys, or linked by the list; a name the table mentions
 * is matched by the table alone (its links in the list are not used), so a table can overrule the list.
 */
export function sameName(a: string, b: string, list: NameIndex, table: NameTable | undefined): boolean {
  if (a === b || nameKey(a, list, table) === nameKey(b, list, table)) return true;
  if (table !== undefined && (table.key.has(a) || table.key.has(b))) return false;
  return list.linked.get(a)?.has(b) === true;
}
