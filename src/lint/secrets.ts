import { isMap, isPair, isScalar, isSeq } from "yaml";
import { makeDiagnostic } from "../config/locate.js";
import type { SourceFile } from "../config/source-file.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import { detectSecret } from "./secret-patterns.js";
import type { LintContext, LintRule } from "./rule.js";

const HINT =
  'Use a reference such as `{ from_env: NAME }` or `{ vault: "path#key" }`, and rotate the exposed secret.';

/**
 * No literal secret anywhere in config/ or env/: by key name and by value shape, in every document (even one that
 * breaks its schema) and in comments. Messages say why a value looks secret and never include it.
 */
export const secretsRule: LintRule = {
  name: "secrets",
  run(ctx) {
    for (const file of ctx.project.files) {
      for (const doc of file.documents) walk(ctx, file, doc.yaml.contents, []);
      scanComments(ctx, file);
    }
  },
};

function walk(ctx: LintContext, file: SourceFile, node: unknown, path: NodePath): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      walk(ctx, file, pair.value, [...path, String(pair.key.value)]);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(ctx, file, item, [...path, i]));
  } else if (isScalar(node) && (typeof node.value === "string" || typeof node.value === "number")) {
    const finding = detectSecret(path, String(node.value));
    const [start = 0, end = start] = node.range ?? [];
    if (finding)
      ctx.report(
        makeDiagnostic(file, finding.code, start, end, `Literal secret: ${finding.reason}.`, {
          path,
          hint: HINT,
        }),
      );
  }
}

/** Comments are free text: only value shapes (tokens, keys, passwords in URLs) are looked for there. */
function scanComments(ctx: LintContext, file: SourceFile): void {
  const text = file.text;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const hash = commentStart(text, lineStart, lineEnd);
    if (hash !== -1) {
      for (const token of text.slice(hash + 1, lineEnd).matchAll(/\S+/g)) {
        const finding = detectSecret([], token[0]);
        if (finding?.code !== "security/secret-pattern") continue;
        const start = hash + 1 + token.index;
        ctx.report(
          makeDiagnostic(
            file,
            finding.code,
            start,
            start + token[0].length,
            `Secret in a comment: ${finding.reason}.`,
            { hint: HINT },
          ),
        );
      }
    }
    lineStart = lineEnd + 1;
  }
}

/** The offset of a YAML comment's `#` on a line (outside quotes, at the start or after whitespace), or -1. */
function commentStart(text: string, from: number, to: number): number {
  let quote = "";
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#" && (i === from || text[i - 1] === " " || text[i - 1] === "\t")) {
      return i;
    }
  }
  return -1;
}
