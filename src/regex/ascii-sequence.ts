/**
 * A fast path for the commonest validation patterns — a sequence of characters and character classes, each maybe
 * repeated, maybe anchored: `^[^@\s]+@[^@\s]+\.[^@\s]+$`, `^\d{4}$`, `^[A-Z]{2}-\d+$` — on text that is all ASCII.
 * Such a pattern is an automaton of a few states: the text is read once, a table lookup per character (a DFA built
 * as it is needed), which is several times quicker than re2js on short values and just as linear.
 *
 * What each item accepts is not worked out here: it is asked of the pattern's own compiled RE2 program, one ASCII
 * character at a time, so the fast path cannot read a class differently from the slow one. Text with a character
 * beyond ASCII, and any pattern of another shape (groups, alternatives, assertions inside, back-references), are
 * left to RE2. A property test holds this path to RE2's answers.
 */
import { RegExpParser, type AST } from "@eslint-community/regexpp";

/** One item of the sequence: the ASCII characters it accepts, and how many times it may repeat. */
interface Item {
  accepts: Uint8Array;
  min: number;
  max: number;
}

/** NFA states are bits of a 32-bit number: at most this many positions once repetitions are spelled out. */
const MAX_POSITIONS = 30;
/** DFA states kept per pattern; past this, steps are worked out each time (still linear, only slower). */
const MAX_DFA_STATES = 512;

/**
 * A matcher for `pattern` (JavaScript syntax, u flag) on ASCII text: true or false for a match anywhere, as RE2's
 * test gives, or undefined for text that is not all ASCII. Undefined (no fast path) when the pattern is not such a
 * sequence. `accepts(atom)` tells, per ASCII code, whether the pattern `^(?:atom)$` matches that one character
 * (undefined when it cannot say: then there is no fast path either).
 */
export function asciiSequenceMatcher(
  pattern: string,
  accepts: (atom: string) => Uint8Array | undefined,
): ((text: string) => boolean | undefined) | undefined {
  const shape = sequenceOf(pattern);
  if (shape === undefined) return undefined;
  const items: Item[] = [];
  for (const { raw, min, max } of shape.atoms) {
    const set = accepts(raw);
    if (set === undefined) return undefined;
    items.push({ accepts: set, min, max });
  }
  const automaton = positionsOf(items);
  if (automaton === undefined) return undefined;
  return matcher(automaton, shape.anchoredStart, shape.anchoredEnd);
}

interface Sequence {
  anchoredStart: boolean;
  anchoredEnd: boolean;
  atoms: { raw: string; min: number; max: number }[];
}

/** The pattern as `^? (atom quantifier?)* $?`, or undefined when it has any other shape. */
function sequenceOf(pattern: string): Sequence | undefined {
  let root: AST.Pattern;
  try {
    root = new RegExpParser().parsePattern(pattern, 0, pattern.length, { unicode: true });
  } catch {
    return undefined;
  }
  if (root.alternatives.length !== 1) return undefined;
  const elements = [...(root.alternatives[0] as AST.Alternative).elements];
  const isAssertion = (e: AST.Element | undefined, kind: "start" | "end") =>
    e?.type === "Assertion" && e.kind === kind;
  const anchoredStart = isAssertion(elements[0], "start");
  if (anchoredStart) elements.shift();
  const anchoredEnd = isAssertion(elements[elements.length - 1], "end");
  if (anchoredEnd) elements.pop();
  const atoms: Sequence["atoms"] = [];
  for (const element of elements) {
    if (element.type === "Quantifier") {
      if (!isAtom(element.element)) return undefined;
      atoms.push({ raw: element.element.raw, min: element.min, max: element.max });
    } else if (isAtom(element)) atoms.push({ raw: element.raw, min: 1, max: 1 });
    else return undefined;
  }
  return { anchoredStart, anchoredEnd, atoms };
}

/** One character, a class, or an escape such as `\d` or `.`: something that reads exactly one character. */
function isAtom(element: AST.Element): boolean {
  if (element.type === "Character") return true;
  if (element.type === "CharacterClass") return !element.unicodeSets;
  if (element.type === "CharacterSet") return element.kind !== "property" || !element.strings;
  return false;
}

/**
 * The positions of the sequence with each repetition spelled out: an item {m,n} is m required positions and n-m
 * optional ones, an unbounded one ends in a position that repeats. State j of the NFA is "about to read position
 * j"; state P (past the last) accepts.
 */
interface Automaton {
  /** Per position, the ASCII characters it reads. */
  accepts: Uint8Array[];
  /** Per position: 1 when it may be skipped, 2 when it may also repeat. */
  kind: Uint8Array;
  count: number;
}

function positionsOf(items: readonly Item[]): Automaton | undefined {
  const accepts: Uint8Array[] = [];
  const kind: number[] = [];
  for (const item of items) {
    const optional = item.max === Infinity ? 1 : item.max - item.min;
    if (accepts.length + item.min + optional > MAX_POSITIONS) return undefined;
    for (let k = 0; k < item.min; k++) {
      accepts.push(item.accepts);
      kind.push(0);
    }
    if (item.max === Infinity) {
      accepts.push(item.accepts);
      kind.push(2);
    } else
      for (let k = 0; k < optional; k++) {
        accepts.push(item.accepts);
        kind.push(1);
      }
  }
  return { accepts, kind: Uint8Array.from(kind), count: accepts.length };
}

function matcher(
  { accepts, kind, count }: Automaton,
  anchoredStart: boolean,
  anchoredEnd: boolean,
): (text: string) => boolean | undefined {
  const final = 1 << count;
  /** States reachable from `states` without reading: past optional positions. */
  const closure = (states: number): number => {
    let out = states;
    for (let j = 0; j < count; j++) if (out & (1 << j) && kind[j] !== 0) out |= 1 << (j + 1);
    return out;
  };
  const start = closure(1);
  /** The states after reading character c in `states` (the start state joins in when unanchored). */
  const step = (states: number, c: number): number => {
    let next = 0;
    for (let j = 0; j < count; j++)
      if (states & (1 << j) && (accepts[j] as Uint8Array)[c] === 1) next |= 1 << (kind[j] === 2 ? j : j + 1);
    next = closure(next);
    return anchoredStart ? next : next | start;
  };
  // The DFA, built as it is needed: its states numbered from 0 (the start), each a set of NFA states; a flat table
  // of the next state per ASCII character (-1 until first needed), and per state whether it accepts or is empty.
  // Past MAX_DFA_STATES new sets are followed without numbering them.
  const sets: number[] = [];
  const numbers = new Map<number, number>();
  let table = new Int32Array(0);
  let flags = new Uint8Array(0);
  const numberOf = (states: number): number => {
    let n = numbers.get(states);
    if (n === undefined) {
      if (sets.length >= MAX_DFA_STATES) return -1;
      n = sets.length;
      sets.push(states);
      numbers.set(states, n);
      if (table.length < sets.length * 128) {
        const size = Math.max(16, sets.length * 2);
        const grown = new Int32Array(size * 128).fill(-1);
        grown.set(table);
        table = grown;
        const grownFlags = new Uint8Array(size);
        grownFlags.set(flags);
        flags = grownFlags;
      }
      flags[n] = (states & final ? ACCEPTS : 0) | (states === 0 ? EMPTY : 0);
    }
    return n;
  };
  numberOf(start);
  /** Where reading text from the start ends: a DFA state number, or -(NFA states) - 1 past the cap. */
  return (text) => {
    if (!anchoredEnd && start & final) return isAscii(text) ? true : undefined;
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 127) return undefined;
      let next = table[n * 128 + c] as number;
      if (next === -1) {
        next = numberOf(step(sets[n] as number, c));
        // Past the cap: the rest of the text by the NFA alone.
        if (next === -1) return finish(step(sets[n] as number, c), text, i + 1);
        table[n * 128 + c] = next;
      }
      n = next;
      const f = flags[n] as number;
      // A match found (the end is not anchored), or none possible: the rest cannot change that.
      if (f & ACCEPTS && !anchoredEnd) return true;
      if (f & EMPTY) return false;
    }
    return ((flags[n] as number) & ACCEPTS) !== 0;
  };

  function finish(from: number, text: string, at: number): boolean | undefined {
    let states = from;
    for (let i = at; i < text.length; i++) {
      if (!anchoredEnd && states & final) return true;
      if (states === 0) return false;
      const c = text.charCodeAt(i);
      if (c > 127) return undefined;
      states = step(states, c);
    }
    return (states & final) !== 0;
  }
}

const ACCEPTS = 1;
const EMPTY = 2;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
