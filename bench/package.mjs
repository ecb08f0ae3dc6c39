// npm run bench:package — what a user installs and how fast it starts: packs a copy of this checkout with its
// `prepack` build (scripts/pack-checkout.mjs), installs the tarball into a fresh project (dependencies from npm's
// cache: --prefer-offline), then reports the tarball's size, the installed size of node_modules/clue-mdm and of all
// node_modules, and the wall time of `clue --version` (the bin run directly, and through `npx clue`), median of RUNS
// runs.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packCheckout } from "../scripts/pack-checkout.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repo = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
const root = mkdtempSync(join(tmpdir(), "clue-bench-package-"));

function sh(command, args, cwd) {
  const done = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (done.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${done.stderr}`);
  return done.stdout;
}

/** Bytes on disk, as `du -sk` counts them (blocks, so many small files weigh what they cost). */
function du(path) {
  return Number(sh("du", ["-sk", path], root).split("\t")[0]) * 1024;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(command, args, cwd) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    sh(command, args, cwd);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

try {
  const { tarball, packed } = packCheckout(root);

  const consumer = join(root, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), '{ "name": "consumer", "private": true }\n');
  const start = process.hrtime.bigint();
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], consumer);
  const installMs = Number(process.hrtime.bigint() - start) / 1e6;
  const packages = sh("npm", ["ls", "--all", "--parseable"], consumer).trim().split("\n").length - 1;

  const bin = join(consumer, "node_modules/.bin/clue");
  sh(bin, ["--version"], consumer); // warm the file cache: "cold start" here is a new process, not a cold disk
  const direct = time(bin, ["--version"], consumer);
  const viaNpx = time("npx", ["--no-install", "clue", "--version"], consumer);

  const rows = [
    [
      "tarball",
      `${mb(statSync(tarball).size)} (${packed.entryCount} files, ${mb(packed.unpackedSize)} unpacked)`,
    ],
    ["node_modules/clue-mdm", mb(du(join(consumer, "node_modules/clue-mdm")))],
    ["node_modules (all)", `${mb(du(join(consumer, "node_modules")))}, ${packages} packages`],
    ["npm install of the tarball (warm cache)", `${(installMs / 1000).toFixed(1)} s`],
    [`clue --version, median of ${RUNS} (the bin)`, `${direct.toFixed(0)} ms`],
    [`npx clue --version, median of ${RUNS}`, `${viaNpx.toFixed(0)} ms`],
  ];
  console.log(`clue-mdm ${pkg.version}, Node ${process.version}\n`);
  console.log("| what | figure |\n| --- | --- |");
  for (const [what, figure] of rows) console.log(`| ${what} | ${figure} |`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
