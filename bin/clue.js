#!/usr/bin/env node
// The published entry point (package clue-mdm, command clue): a thin shim over the build in dist/. The published
// package ships dist/ (built by `prepack`); a checkout of this repository builds it with `npm run build`.
//
// Matching whole files (`clue run` at a stage after validation, `clue train`) keeps every record while it makes
// millions of short-lived values; with V8's default young generation (16 MB semi-spaces) it spends about a tenth of
// its time in scavenges. A heap's young generation is fixed when the process starts, so for those commands this
// shim starts Node once more with a larger one (CLUE_SEMI_SPACE_MB, default 64; 0 keeps Node's default) unless the
// flag was already given. The streaming stages gain nothing from it (their records do not stay) and would only
// hold more memory.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("clue: the build output is missing; run `npm run build` first.\n");
  process.exit(70);
}

const argv = process.argv.slice(2);
const command = argv.find((arg) => !["--color", "--no-color", "--debug"].includes(arg));
const stage =
  argv.find((arg, i) => argv[i - 1] === "--stage") ??
  argv.find((arg) => arg.startsWith("--stage="))?.slice(8);
const matching =
  command === "train" ||
  (command === "run" && stage !== undefined && !["mapped", "cleaned", "validated"].includes(stage));
const semiSpaceMb = Number(process.env.CLUE_SEMI_SPACE_MB ?? 64);
const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((flag) =>
  /^--max-semi-space-size\b/.test(flag),
);
if (matching && Number.isInteger(semiSpaceMb) && semiSpaceMb > 0 && !given) {
  const child = spawn(
    process.execPath,
    [`--max-semi-space-size=${semiSpaceMb}`, ...process.execArgv, fileURLToPath(import.meta.url), ...argv],
    { stdio: "inherit" },
  );
  // Ctrl-C reaches the whole process group, the child too: wait for it to finish. A signal sent to this process
  // alone (a CI runner's SIGTERM) is passed on.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (error) => {
    process.stderr.write(`clue: could not start Node: ${error.message}\n`);
    process.exitCode = 70;
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exitCode = code ?? 70;
  });
} else {
  const { run } = await import(main.href);
  process.exitCode = await run(argv);
}
