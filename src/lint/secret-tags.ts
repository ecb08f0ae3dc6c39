import { CST, Lexer } from "yaml";

/** A word of YAML syntax that is not a value: `!tag`, `!<verbatim:tag>`, `&anchor`, `*alias`, or a `%TAG` word. */
export interface YamlPropertyWord {
  start: number;
  end: number;
  /** As written, e.g. `!<tag:x>`. */
  source: string;
  /** Without the syntax around it, e.g. `tag:x`: what the parser's own messages quote. */
  name: string;
  kind: "tag" | "anchor" | "alias" | "directive";
}

/**
 * A tag, anchor, alias or directive can only start after a separator (or a line start for `%`); most config files
 * have none, and this one scan spares them the lexer. Not one: `!=` in an expression, `* *` in a cron schedule,
 * `a * b`, `&&`. (A name that starts with a quote or a symbol could slip past; its code frame line is then the only
 * place it shows, and a credential never starts that way.)
 */
const MAY_HOLD_PROPERTY = /(?:^|[\s[{,])(?:![^\s="]|[&*][\w.$-])|^%/m;

/**
 * The property words of a YAML text with their offsets, from yaml's own lexer — so a `!` or `&` inside a quoted
 * value or a comment is not mistaken for one. A secret there is outside every value the config walk sees, yet the
 * parser quotes tags in its warnings and code frames show the line.
 */
export function yamlPropertyWords(text: string): YamlPropertyWord[] {
  if (!MAY_HOLD_PROPERTY.test(text)) return [];
  const words: YamlPropertyWord[] = [];
  let offset = 0;
  let atScalar = false;
  for (const token of new Lexer().lex(text)) {
    // The lexer marks a scalar with a zero-width token, then gives its text; the text is never a property.
    if (atScalar) {
      atScalar = false;
      offset += token.length;
      continue;
    }
    const type = CST.tokenType(token);
    if (type === "scalar") {
      atScalar = true;
      continue;
    }
    if (type === "doc-mode" || type === "flow-error-end") continue;
    if (type === "tag") words.push(word(offset, token, "tag"));
    else if (type === "anchor") words.push(word(offset, token, "anchor"));
    else if (type === "alias") words.push(word(offset, token, "alias"));
    else if (type === "directive-line") {
      for (const part of token.matchAll(/\S+/g)) words.push(word(offset + part.index, part[0], "directive"));
    }
    offset += token.length;
  }
  return words;
}

function word(start: number, source: string, kind: YamlPropertyWord["kind"]): YamlPropertyWord {
  let name = source;
  if (kind === "tag")
    name = source.startsWith("!<") ? source.slice(2, -1) : source.replace(/^!(?:[\w-]*!)?/, "");
  else if (kind !== "directive") name = source.slice(1);
  return { start, end: start + source.length, source, name, kind };
}
