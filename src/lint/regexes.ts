import { locateInString, makeDiagnostic } from "../config/locate.js";
import { resourcesOf } from "../config/project.js";
import { checkRegex } from "./regex-safety.js";
import type { LintRule } from "./rule.js";

export const REGEX_FLAGS = "u";

/** Every regex compiles, and none can backtrack catastrophically on the untrusted data it runs over. */
export const regexesRule: LintRule = {
  name: "regexes",
  run(ctx) {
    for (const r of resourcesOf(ctx.project, "validation")) {
      const pattern = r.spec.check?.regex;
      if (!r.valid || pattern === undefined) continue;
      // Patterns run with the u flag: names like "Zoë" are matched by code point, and \p{L} means letters.
      const problem = checkRegex(pattern, REGEX_FLAGS);
      if (!problem) continue;
      const path = ["check", "regex"];
      const range = locateInString(r.doc, path, problem.offset, problem.length);
      const code = problem.kind === "syntax" ? "regex/invalid" : "regex/catastrophic";
      const lead =
        problem.kind === "syntax"
          ? "Regular expression does not compile"
          : "Regular expression can backtrack catastrophically";
      ctx.report(
        makeDiagnostic(
          r.doc.file,
          code,
          range.start,
          range.end,
          `${lead}: ${problem.message}.`.replace(/\.\.$/, "."),
          {
            path,
            hint:
              problem.kind === "syntax"
                ? "Patterns are JavaScript regular expressions run with the u (Unicode) flag, which rejects needless escapes such as `\\ `; in double-quoted YAML a backslash is written \\\\."
                : "Rewrite without nested or overlapping quantifiers (e.g. `^\\w+(\\s\\w+)*$` for `^(\\w+\\s?)*$`), or accept it in .clueignore.yaml with a reason.",
          },
        ),
      );
    }
  },
};
