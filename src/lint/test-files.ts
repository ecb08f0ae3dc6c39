import { posix } from "node:path";
import { diagnosticAt } from "../config/locate.js";
import { resourcesOf } from "../config/project.js";
import { didYouMean } from "../util/did-you-mean.js";
import { outsideProject } from "../util/paths.js";
import type { LintRule } from "./rule.js";

/** A test's files exist, and its stage names an existing export. */
export const testFilesRule: LintRule = {
  name: "test-files",
  run(ctx) {
    const exists = (path: string) =>
      ctx.project.dataFiles.has(path) || ctx.project.files.some((f) => f.path === path);
    for (const r of resourcesOf(ctx.project, "test")) {
      if (!r.valid) continue;
      const dir = posix.dirname(r.doc.file.path);
      const { input, expect } = r.spec;
      const named: [string, string | undefined][] = [
        ["input", input],
        ["file", expect.file],
      ];
      const escapes = named.filter(
        (e): e is [string, string] => e[1] !== undefined && outsideProject(posix.join(dir, e[1])),
      );
      for (const [key, path] of escapes) {
        ctx.report(
          diagnosticAt(
            r.doc,
            key === "input" ? ["input"] : ["expect", "file"],
            "ref/outside-project",
            `${path} leads outside the project.`,
            {
              hint: `Paths are relative to ${r.doc.file.path}; keep test files inside the project, e.g. under config/samples/.`,
            },
          ),
        );
      }
      if (escapes.length > 0) continue;
      if (input !== undefined && !exists(posix.join(dir, input))) {
        ctx.report(
          diagnosticAt(
            r.doc,
            ["input"],
            "ref/missing-file",
            `Input file ${posix.join(dir, input)} does not exist.`,
            {
              hint: `The path is relative to ${r.doc.file.path}.`,
            },
          ),
        );
      }
      if (expect.file !== undefined && !exists(posix.join(dir, expect.file))) {
        ctx.report(
          diagnosticAt(
            r.doc,
            ["expect", "file"],
            "ref/missing-golden-file",
            `Golden file ${posix.join(dir, expect.file)} does not exist yet.`,
            {
              hint: "Run `clue test --update` to write it, then review it before committing.",
            },
          ),
        );
      }
      const [stage = "", exportName] = expect.stage.split(":");
      if (exportName === undefined) continue;
      const target = ctx.index.byName.export.get(exportName);
      if (!target) {
        const guess = didYouMean(exportName, ctx.index.byName.export.keys());
        ctx.report(
          diagnosticAt(
            r.doc,
            ["expect", "stage"],
            "ref/unknown-export",
            `Export "${exportName}" is not defined.`,
            {
              hint: guess
                ? `Did you mean "${stage}:${guess}"?`
                : "Use the name of an export under config/exports/.",
            },
          ),
        );
      }
    }
  },
};
