import { locateInString, makeDiagnostic } from "../config/locate.js";
import { check } from "../expr/checker.js";
import { parse } from "../expr/parser.js";
import { functions } from "../expr/functions/index.js";
import { describeType, isAssignable, fieldType } from "../expr/types.js";
import { expressionSites } from "../pipeline/expression-sites.js";
import { dedupScope, fieldScope } from "../pipeline/scope.js";
import type { LintRule } from "./rule.js";

/**
 * Every expression parses and type-checks against its entity's fields and the function library; each error is
 * reported at its own line and column inside the YAML string.
 */
export const expressionsRule: LintRule = {
  name: "expressions",
  run(ctx) {
    for (const site of expressionSites(ctx.project)) {
      const fields = ctx.index.fieldsOf(site.entity);
      // Lint parses and type-checks; nothing is evaluated, so nothing is compiled.
      const parsed = parse(site.source);
      const checked = parsed.ok
        ? check(parsed.node, {
            fields: site.resource.kind === "dedup" ? dedupScope(fields) : fieldScope(fields),
            functions,
            ...(site.other ? { other: true } : {}),
          })
        : { type: "any" as const, errors: [parsed.error] };
      const { doc } = site.resource;
      if (checked.errors.length > 0) {
        for (const e of checked.errors) {
          const range = locateInString(doc, site.path, e.span.start, e.span.end - e.span.start);
          ctx.report(
            makeDiagnostic(doc.file, e.code, range.start, range.end, e.message, {
              path: site.path,
              hint: e.hint,
            }),
          );
        }
        continue;
      }
      const type = checked.type;
      const expected =
        typeof site.expects === "object"
          ? fields?.[site.expects.field]
            ? fieldType(fields[site.expects.field]!.type)
            : undefined
          : site.expects;
      if (expected === undefined || isAssignable(type, expected)) continue;
      const range = locateInString(doc, site.path, 0, site.source.length);
      const what =
        typeof site.expects === "object"
          ? `field "${site.expects.field}" is ${describeType(expected)}`
          : `a condition must be ${expected}`;
      ctx.report(
        makeDiagnostic(
          doc.file,
          "expr/type",
          range.start,
          range.end,
          `This expression gives ${type}, but ${what}.`,
          {
            path: site.path,
            hint:
              expected === "boolean"
                ? "Compare it, e.g. `x is not null` or `x == 'value'`."
                : "Convert it, e.g. with to_number(), to_date() or to_datetime().",
          },
        ),
      );
    }
  },
};
