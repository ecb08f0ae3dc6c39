#!/usr/bin/env node
// The published entry point: a thin shim so that `npx clue` works after `npm ci` (which runs `prepare`, the build).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("clue: the build output is missing; run `npm run build` (or `npm ci`) first.\n");
  process.exit(70);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
