import { CST, Composer, Lexer, Parser } from "yaml";
import type { Document } from "yaml";
import { MAX_DEPTH } from "./yaml-structure.js";

/**
 * The yaml lexer recurses on flow collections and aborts the process (not an exception) near 10,000 levels,
 * so bracket depth is checked on the raw text before lexing. Brackets inside strings count too: harmless at
 * this bound.
 */
const MAX_FLOW_BRACKETS = 512;
/**
 * Tokens other than white space and line breaks per file. yaml's syntax tree costs about 300 bytes per token: a
 * 5 MiB file of `[1,1,1,...]` (8 million tokens) took half a minute and 2.6 GB. A million tokens is a config file
 * of about 2 MiB.
 */
export const MAX_TOKENS = 1_000_000;

export interface ReadProblem {
  code: "yaml/too-deep" | "file/too-large";
  start: number;
  end: number;
  message: string;
}

export type ReadResult =
  | { documents: Document.Parsed[]; problem?: undefined }
  | { documents?: undefined; problem: ReadProblem };

const tooDeep = (start: number): ReadProblem => ({
  code: "yaml/too-deep",
  start,
  end: start + 1,
  message: `Collections nest deeper than ${MAX_DEPTH} levels.`,
});

/**
 * parseAllDocuments, in linear time and bounded memory on any input. It lexes once, watching the tokens (their
 * number, and block indicators nested on one line like `- - - - x`) so that a hostile file is refused before yaml
 * builds its syntax tree; each document's syntax tree is checked for depth before it is composed, because yaml
 * composes recursively and overflows the stack near a thousand levels.
 */
export function readYamlDocuments(text: string): ReadResult {
  const bracket = findDeepBracket(text);
  if (bracket !== undefined) return { problem: tooDeep(bracket) };
  // Duplicate keys are found by inspectDocument: yaml's own check is quadratic. logLevel: problems are collected
  // as diagnostics, never printed to stderr by the parser. merge: `<<: *defaults` is common in hand-written
  // config, though YAML 1.2 dropped it.
  const composer = new Composer({ uniqueKeys: false, merge: true, logLevel: "silent" });
  const parser = new Parser();
  const guard = new TokenGuard();
  const documents: Document.Parsed[] = [];
  const compose = (token: CST.Token): ReadProblem | undefined => {
    const deep = token.type === "document" ? findDeepCollection(token) : undefined;
    if (deep !== undefined) return tooDeep(deep);
    for (const doc of composer.next(token)) documents.push(doc);
    return undefined;
  };
  for (const lexeme of new Lexer().lex(text)) {
    const problem = guard.next(lexeme);
    if (problem) return { problem };
    for (const token of parser.next(lexeme)) {
      const deep = compose(token);
      if (deep) return { problem: deep };
    }
  }
  for (const token of parser.end()) {
    const deep = compose(token);
    if (deep) return { problem: deep };
  }
  for (const doc of composer.end()) documents.push(doc);
  return { documents };
}

/** Counts tokens, and block indicators that open nested collections on one line, as the lexer yields them. */
class TokenGuard {
  private offset = 0;
  private afterScalarMarker = false;
  private atLineStart = true;
  private run = 0;
  private tokens = 0;

  next(lexeme: string): ReadProblem | undefined {
    const start = this.offset;
    // A scalar's source follows its marker; it is text, whatever it starts with. Markers take no room in the text.
    const type = this.afterScalarMarker ? "scalar-source" : CST.tokenType(lexeme);
    this.afterScalarMarker = type === "scalar";
    if (type === "scalar" || type === "doc-mode" || type === "flow-error-end") return undefined;
    this.offset += lexeme.length;
    switch (type) {
      case "newline":
        this.atLineStart = true;
        this.run = 0;
        return undefined;
      case "space":
        return undefined;
      case "seq-item-ind":
      case "explicit-key-ind":
        // `- - - x`: each indicator at the start of a line opens a collection inside the previous one.
        if (this.atLineStart && ++this.run > MAX_DEPTH) return tooDeep(start);
        break;
      case "map-value-ind":
        break; // `: - - x` after `? key` nests as well; the `:` itself opens nothing
      default:
        this.atLineStart = false;
    }
    return this.count(start);
  }

  private count(start: number): ReadProblem | undefined {
    if (++this.tokens <= MAX_TOKENS) return undefined;
    return {
      code: "file/too-large",
      start,
      end: start + 1,
      message: `File holds more than ${MAX_TOKENS.toLocaleString("en-US")} YAML tokens (values, keys and punctuation); clue reads config files up to 5 MiB and ${MAX_TOKENS.toLocaleString("en-US")} tokens.`,
    };
  }
}

/** The offset of the first collection nested deeper than MAX_DEPTH in a document's syntax tree. Iterative. */
function findDeepCollection(doc: CST.Document): number | undefined {
  const stack: [CST.Token, number][] = doc.value ? [[doc.value, 0]] : [];
  let first: number | undefined;
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [token, outer] = entry;
    if (!CST.isCollection(token)) continue;
    const depth = outer + 1;
    if (depth > MAX_DEPTH) {
      first = Math.min(first ?? token.offset, token.offset);
      continue;
    }
    for (const item of token.items) {
      if (item.value) stack.push([item.value, depth]);
      if (item.key) stack.push([item.key, depth]);
    }
  }
  return first;
}

function findDeepBracket(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_FLOW_BRACKETS) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}
