import { locateInString, makeDiagnostic } from "../config/locate.js";
import { kinds } from "../config/kinds.js";
import { resourcesOf } from "../config/project.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import type { Node } from "../expr/ast.js";
import { bindArguments } from "../expr/checker.js";
import { functions } from "../expr/functions/index.js";
import { PATTERN_PARAM } from "../expr/functions/regex.js";
import { parse } from "../expr/parser.js";
import { expressionSites } from "../pipeline/expression-sites.js";
import { checkPattern, type RegexProblem } from "../regex/compile.js";
import type { ConfigDocument } from "../config/source-file.js";
import type { LintContext, LintRule } from "./rule.js";

const CHECK_HINT =
  "Patterns are JavaScript regular expressions run with the u (Unicode) flag, which rejects needless escapes such as `\\ `; in double-quoted YAML a backslash is written \\\\.";
const LITERAL_HINT =
  'Patterns are JavaScript regular expressions with the u (Unicode) flag; inside an expression string a backslash is written twice, e.g. "\\\\d+".';

/**
 * Every pattern written in config compiles and can run on RE2, the linear-time engine patterns run on: the `regex`
 * checks, and the literal patterns given to regex functions in expressions (which at run time would give null for
 * every record, so a validation built on one would pass everything).
 */
export const regexesRule: LintRule = {
  name: "regexes",
  run(ctx) {
    for (const r of resourcesOf(ctx.project, "validation")) {
      const pattern = r.spec.check?.regex;
      if (!r.valid || pattern === undefined) continue;
      const problem = checkPattern(pattern);
      if (problem === undefined) continue;
      const path = ["check", "regex"];
      const { offset, length } = problem;
      report(ctx, r.doc, path, problem, locateInString(r.doc, path, offset, length), CHECK_HINT);
    }
    // An environment can replace a validation's pattern: `overrides: { validations/email: { check: { regex } } }`.
    for (const env of ctx.project.environments) {
      if (!env.valid) continue;
      for (const [address, override] of Object.entries(env.spec.overrides ?? {})) {
        if (!address.startsWith(`${kinds.validation.restKind}/`)) continue;
        const pattern = overriddenPattern(override);
        if (pattern === undefined) continue;
        const problem = checkPattern(pattern);
        if (problem === undefined) continue;
        const path = ["overrides", address, "check", "regex"];
        const { offset, length } = problem;
        report(ctx, env.doc, path, problem, locateInString(env.doc, path, offset, length), CHECK_HINT);
      }
    }
    for (const site of expressionSites(ctx.project)) {
      const parsed = parse(site.source);
      // An expression that does not parse is the expressions rule's finding.
      if (!parsed.ok) continue;
      for (const literal of patternLiterals(parsed.node, site.source)) {
        const problem = checkPattern(literal.value);
        if (problem === undefined) continue;
        const { offset, length } = problem;
        const offsets = rawOffsets(literal.raw);
        const start = literal.start + (offsets[offset] ?? 0);
        const end = literal.start + (offsets[offset + length] ?? literal.raw.length);
        const range = locateInString(site.resource.doc, site.path, start, end - start);
        report(ctx, site.resource.doc, site.path, problem, range, LITERAL_HINT);
      }
    }
  },
};

function overriddenPattern(override: unknown): string | undefined {
  if (typeof override !== "object" || override === null) return undefined;
  const check = (override as { check?: unknown }).check;
  if (typeof check !== "object" || check === null) return undefined;
  const regex = (check as { regex?: unknown }).regex;
  return typeof regex === "string" ? regex : undefined;
}

function report(
  ctx: LintContext,
  doc: ConfigDocument,
  path: NodePath,
  problem: RegexProblem,
  range: { start: number; end: number },
  syntaxHint: string,
): void {
  const syntax = problem.kind === "syntax";
  const message = syntax
    ? `Regular expression does not compile: ${problem.message}.`.replace(/\.\.$/, ".")
    : `Regular expression needs what RE2, the linear-time engine patterns run on, does not have: ${problem.message}.`;
  ctx.report(
    makeDiagnostic(
      doc.file,
      syntax ? "regex/invalid" : "regex/unsupported",
      range.start,
      range.end,
      message,
      {
        path,
        hint: problem.hint ?? syntaxHint,
      },
    ),
  );
}

interface PatternLiteral {
  value: string;
  /** The literal as written in the expression, quotes included, and where it starts there. */
  raw: string;
  start: number;
}

const PATTERN_FUNCTIONS = new Set(
  [...functions.values()].filter((f) => f.params.some((p) => p.name === PATTERN_PARAM)).map((f) => f.name),
);

/** The string literals an expression passes as the pattern of a regex function, in source order. */
function patternLiterals(root: Node, source: string): PatternLiteral[] {
  const found: PatternLiteral[] = [];
  const visit = (node: Node): void => {
    switch (node.kind) {
      case "literal":
      case "field":
        return;
      case "list":
        return node.items.forEach(visit);
      case "unary":
      case "is-null":
        return visit(node.operand);
      case "binary":
      case "in":
        visit(node.left);
        return visit(node.right);
      case "call": {
        node.args.forEach((a) => visit(a.value));
        const fn = functions.get(node.name);
        if (!fn || !PATTERN_FUNCTIONS.has(node.name)) return;
        // Wrong arguments are the expressions rule's findings; here they only decide which argument is the pattern.
        const slot = bindArguments(node, fn, [])[fn.params.findIndex((p) => p.name === PATTERN_PARAM)];
        const value = slot?.value;
        if (value?.kind === "literal" && typeof value.value === "string") {
          found.push({
            value: value.value,
            raw: source.slice(value.span.start, value.span.end),
            start: value.span.start,
          });
        }
      }
    }
  };
  visit(root);
  return found;
}

/**
 * For each character of a string literal's value, where it is written in the literal (quotes included), plus one
 * entry for the end: the lexer's escapes (`\\`, `\"`, `\uXXXX`, …) make the two differ.
 */
function rawOffsets(raw: string): number[] {
  const offsets: number[] = [];
  let i = 1;
  while (i < raw.length - 1) {
    offsets.push(i);
    if (raw[i] !== "\\") i += 1;
    else i += raw[i + 1] === "u" && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6)) ? 6 : 2;
  }
  offsets.push(raw.length - 1);
  return offsets;
}
