import { locateInString, makeDiagnostic } from "../config/locate.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { LintRule } from "./rule.js";
import { walkStrings } from "./walk.js";

/** `$${` is a literal `${`; `${var.NAME}` is a variable; any other `${` is a mistake. */
const INTERPOLATION = /\$\$\{|\$\{([^}]*)(\}?)/g;
const VARIABLE = /^var\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** Every `${var.NAME}` in config resolves in every environment (SPEC section 5). */
export const variablesRule: LintRule = {
  name: "variables",
  run(ctx) {
    const environments = ctx.project.environments;
    for (const r of ctx.project.resources) {
      walkStrings(r.spec, (text, path) => {
        if (!text.includes("${")) return;
        for (const match of text.matchAll(INTERPOLATION)) {
          if (match[0] === "$${") continue;
          const [whole, inner = "", closed] = match;
          const range = locateInString(r.doc, path, match.index, whole.length);
          const variable = closed ? VARIABLE.exec(inner.trim())?.[1] : undefined;
          if (variable === undefined) {
            ctx.report(
              makeDiagnostic(
                r.doc.file,
                "var/syntax",
                range.start,
                range.end,
                `"${whole}" is not a variable clue understands.`,
                {
                  path,
                  hint: closed
                    ? `Write \${var.NAME}${inner ? ` (e.g. \${var.${inner.replace(/^var\./, "").trim()}})` : ""}; escape a literal "\${" as "$\${".`
                    : 'Close it with "}"; escape a literal "${" as "$${".',
                },
              ),
            );
            continue;
          }
          const missing = environments.filter((env) => !Object.hasOwn(env.spec.variables ?? {}, variable));
          if (missing.length === 0 && environments.length > 0) continue;
          const known = new Set(environments.flatMap((env) => Object.keys(env.spec.variables ?? {})));
          const guess = didYouMean(variable, known);
          const where =
            environments.length === 0
              ? "no environment (env/ has no files)"
              : missing.map((env) => env.doc.file.path).join(", ");
          ctx.report(
            makeDiagnostic(
              r.doc.file,
              "var/undefined",
              range.start,
              range.end,
              `Variable "${variable}" is not defined in ${where}.`,
              {
                path,
                hint: guess
                  ? `Did you mean "${guess}"?`
                  : `Add \`${variable}: <value>\` under \`variables:\` in each environment file.`,
              },
            ),
          );
        }
      });
    }
  },
};
