import { isMap, isPair, isScalar, isSeq } from "yaml";
import { makeDiagnostic } from "../config/locate.js";
import type { SourceFile } from "../config/source-file.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import { envAssignments, isEnvFile } from "./secret-env-files.js";
import { detectSecret, type SecretFinding } from "./secret-patterns.js";
import { yamlPropertyWords } from "./secret-tags.js";
import type { LintContext, LintRule } from "./rule.js";

const HINT =
  'Use a reference such as `{ from_env: NAME }` or `{ vault: "path#key" }`, and rotate the exposed secret.';

/**
 * Mappings whose keys name data fields, not settings: `password_changed_at: $.x` in a mapping, or
 * `mask: { api_key: redact }` in an export, holds no password. Values there are checked by shape only.
 */
const FIELD_NAME_CONTAINERS = new Set(["fields", "mapping", "mask", "columns"]);

/**
 * No literal secret anywhere in config/ or env/: by key name and by value shape, in every document (even one that
 * breaks its schema), in keys, in tags, anchors and `%TAG` directives, in comments, and in the other text files there
 * (samples by shape; `.env`-style files by key name too). Messages say why a value looks secret and never include it;
 * every secret found is also handed to `ctx.redact`, so no other finding's message, hint or path can print it, and
 * each finding's range is masked in every code frame that shows its line.
 */
export const secretsRule: LintRule = {
  name: "secrets",
  run(ctx) {
    for (const file of ctx.project.files) {
      for (const doc of file.documents) walk(ctx, file, doc.yaml.contents, []);
      if (file.documents.length > 0) scanPropertyWords(ctx, file);
      scanText(ctx, file, true);
    }
    for (const file of ctx.project.otherFiles) {
      if (isEnvFile(file.path)) scanEnvFile(ctx, file);
      else scanText(ctx, file, false);
    }
  },
};

/** `path` is one array, pushed and popped as the walk goes (copied only for a finding): no array per node. */
function walk(ctx: LintContext, file: SourceFile, node: unknown, path: (string | number)[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      check(ctx, file, pair.key, detectSecret(NO_KEYS, key), path, "Secret in a key");
      path.push(key);
      walk(ctx, file, pair.value, path);
      path.pop();
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      path.push(i);
      walk(ctx, file, node.items[i], path);
      path.pop();
    }
  } else if (isScalar(node) && (typeof node.value === "string" || typeof node.value === "number")) {
    const parent = path.at(-2);
    const keyPath =
      typeof parent === "string" && FIELD_NAME_CONTAINERS.has(parent) ? path.slice(0, -1) : path;
    check(ctx, file, node, detectSecret(keyPath, String(node.value)), path, "Literal secret");
  }
}

const NO_KEYS: readonly string[] = [];

function check(
  ctx: LintContext,
  file: SourceFile,
  node: { value: unknown; range?: readonly number[] | null | undefined },
  finding: SecretFinding | undefined,
  path: NodePath,
  lead: string,
): void {
  if (!finding) return;
  const [start = 0, end = start] = node.range ?? [];
  ctx.redact(String(node.value));
  ctx.redact(file.text.slice(start, end));
  ctx.report(
    makeDiagnostic(file, finding.code, start, end, `${lead}: ${finding.reason}.`, {
      path: [...path],
      hint: HINT,
    }),
  );
}

/**
 * Free text — YAML comments, or whole files that are not config — is looked at token by token, for value shapes
 * only (tokens, keys, passwords in URLs): there is no key to judge by.
 */
function scanText(ctx: LintContext, file: SourceFile, commentsOnly: boolean): void {
  const text = file.text;
  let lineStart = 0;
  while (lineStart < text.length) {
    if (commentsOnly) {
      // Only lines with a `#` can hold a comment: jump to the next one instead of walking every line.
      const hash = text.indexOf("#", lineStart);
      if (hash === -1) return;
      lineStart = text.lastIndexOf("\n", hash) + 1;
    }
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const from = commentsOnly ? commentStart(text, lineStart, lineEnd) : lineStart - 1;
    if (from !== -1 || !commentsOnly) {
      const lead = commentsOnly ? "Secret in a comment" : "Secret in a file under config/ or env/";
      scanTokens(ctx, file, from + 1, lineEnd, lead);
    }
    lineStart = lineEnd + 1;
  }
}

function scanTokens(ctx: LintContext, file: SourceFile, from: number, to: number, lead: string): void {
  for (const token of file.text.slice(from, to).matchAll(/[^\s,;"'`|]+/g)) {
    const finding = detectSecret([], token[0]);
    if (finding?.code !== "security/secret-pattern") continue;
    const start = from + token.index;
    ctx.redact(token[0]);
    ctx.report(
      makeDiagnostic(file, finding.code, start, start + token[0].length, `${lead}: ${finding.reason}.`, {
        hint: HINT,
      }),
    );
  }
}

/**
 * `.env`, `prod.env`, `.env.local`: each `KEY=value` is judged like a config value under that key — by the key's
 * name (`DB_PASSWORD=hunter2hunter2`), by shape and by entropy — and lines that are no assignment by shape only.
 */
function scanEnvFile(ctx: LintContext, file: SourceFile): void {
  const { assignments, otherLines } = envAssignments(file.text);
  for (const { key, value, start, end } of assignments) {
    const finding = detectSecret([key], value);
    if (!finding) continue;
    ctx.redact(value);
    ctx.redact(file.text.slice(start, end));
    ctx.report(
      makeDiagnostic(file, finding.code, start, end, `Secret in an env file: ${finding.reason}.`, {
        hint: HINT,
      }),
    );
  }
  for (const [from, to] of otherLines)
    scanTokens(ctx, file, from, to, "Secret in a file under config/ or env/");
}

/**
 * Tags (`!<tag:…>`, `!name`), anchors, aliases and `%TAG` prefixes are outside every value the walk sees, yet the
 * parser quotes tags in its warnings and code frames show their lines: they are judged by shape, like comments.
 */
function scanPropertyWords(ctx: LintContext, file: SourceFile): void {
  for (const word of yamlPropertyWords(file.text)) {
    const finding = detectSecret([], word.name);
    if (finding?.code !== "security/secret-pattern") continue;
    ctx.redact(word.source);
    ctx.redact(word.name);
    const what = word.kind === "directive" ? "a %TAG directive" : `a YAML ${word.kind}`;
    ctx.report(
      makeDiagnostic(file, finding.code, word.start, word.end, `Secret in ${what}: ${finding.reason}.`, {
        hint: HINT,
      }),
    );
  }
}

/**
 * The offset of a YAML comment's `#` on a line, or -1: a `#` at the line's start or after whitespace, outside a
 * quoted scalar. A quote opens a scalar only where a value can start (after `: `, `- `, `[`, `{`, `,` or at the
 * start of the line), so the apostrophe in `Don't` does not hide a comment after it.
 */
function commentStart(text: string, from: number, to: number): number {
  let quote = "";
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if ((c === '"' || c === "'") && opensScalar(text, from, i)) {
      quote = c;
    } else if (c === "#" && (i === from || text[i - 1] === " " || text[i - 1] === "\t")) {
      return i;
    }
  }
  return -1;
}

function opensScalar(text: string, lineStart: number, i: number): boolean {
  let j = i - 1;
  while (j >= lineStart && (text[j] === " " || text[j] === "\t")) j--;
  return j < lineStart || ":-[{,?".includes(text[j] ?? "");
}
