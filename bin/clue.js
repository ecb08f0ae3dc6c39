#!/usr/bin/env node
// The published entry point (package clue-mdm, command clue): a thin shim over the build in dist/. The published
// package ships dist/ (built by `prepack`); a checkout of this repository builds it with `npm run build`.
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("clue: the build output is missing; run `npm run build` first.\n");
  process.exit(70);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
