import { posix } from "node:path";
import { diagnosticAt } from "../config/locate.js";
import { resourcesOf } from "../config/project.js";
import { didYouMean } from "../util/did-you-mean.js";
import { outsideProject } from "../util/paths.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import { TABLE_TYPES } from "../exports/export-stage.js";
import type { LintRule } from "./rule.js";

/** A test's files exist, and its stage names an existing export. */
export const testFilesRule: LintRule = {
  name: "test-files",
  run(ctx) {
    const exists = (path: string) =>
      ctx.project.dataFiles.has(path) || ctx.project.files.some((f) => f.path === path);
    // An input may be a folder of Parquet files: under config/ it holds files the walk found.
    const isFolder = (path: string) => [...ctx.project.dataFiles].some((f) => f.startsWith(`${path}/`));
    for (const r of resourcesOf(ctx.project, "test")) {
      if (!r.valid) continue;
      const dir = posix.dirname(r.doc.file.path);
      const { expect } = r.spec;
      // Every file a test reads, with where it is named: its input, its also: inputs, the state and the golden file.
      const named: [NodePath, string | undefined][] = [
        [["input"], r.spec.input],
        ...(r.spec.also ?? []).map((a, i): [NodePath, string | undefined] => [["also", i, "input"], a.input]),
        [["state"], r.spec.state],
      ];
      const escapes = [...named, [["expect", "file"], expect.file] as [NodePath, string | undefined]].filter(
        (e): e is [NodePath, string] => e[1] !== undefined && outsideProject(posix.join(dir, e[1])),
      );
      for (const [at, path] of escapes) {
        ctx.report(
          diagnosticAt(r.doc, at, "ref/outside-project", `${path} leads outside the project.`, {
            hint: `Paths are relative to ${r.doc.file.path}; keep test files inside the project, e.g. under config/samples/.`,
          }),
        );
      }
      if (escapes.length > 0) continue;
      for (const [at, path] of named) {
        const joined = path === undefined ? undefined : posix.join(dir, path);
        if (joined === undefined || exists(joined) || (at[0] !== "state" && isFolder(joined))) continue;
        ctx.report(
          diagnosticAt(
            r.doc,
            at,
            "ref/missing-file",
            `${at[0] === "state" ? "Event state" : "Input"} file ${joined} does not exist.`,
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
        continue;
      }
      const wanted = TABLE_TYPES.has(target.spec.type) ? "export" : "events";
      if (target.valid && stage !== wanted)
        ctx.report(
          diagnosticAt(
            r.doc,
            ["expect", "stage"],
            "test/wrong-export-stage",
            `Export "${exportName}" (type ${target.spec.type}) renders ${wanted === "export" ? "rows" : "events"}; its stage is ${wanted}:${exportName}.`,
            {
              hint: `Write \`stage: ${wanted}:${exportName}\`: table and file exports render rows, the others events.`,
            },
          ),
        );
    }
  },
};
