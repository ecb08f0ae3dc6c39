// `npm pack` of this checkout as it would be published, without touching the checkout: what the pack needs — the
// package's files but dist/, the build's inputs, README and LICENSE — is copied into DIR/checkout with its
// node_modules linked, and packed there, so `prepack` builds a fresh dist/ in the copy, never the dist/ that tests and
// the CLI are running from. Used by bench/package.mjs and test/integration/package.test.ts; run it to get a tarball:
//
//   node scripts/pack-checkout.mjs /tmp/clue-pack     # prints the tarball's path
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const BUILD_INPUTS = [
  "src",
  "scripts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
];

/** Packs into `dir` (which must exist); returns the tarball's path and npm's own report of it (`npm pack --json`). */
export function packCheckout(dir) {
  const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
  const copy = join(dir, "checkout");
  mkdirSync(copy);
  const names = [...pkg.files.filter((name) => name !== "dist"), ...BUILD_INPUTS, "README.md", "LICENSE"];
  for (const name of names)
    if (existsSync(join(repo, name))) cpSync(join(repo, name), join(copy, name), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"), "dir");
  const out = join(dir, "pack");
  mkdirSync(out);
  const done = spawnSync("npm", ["pack", "--json", "--pack-destination", out], {
    cwd: copy,
    encoding: "utf8",
  });
  if (done.status !== 0)
    throw new Error(`npm pack failed (exit ${done.status}):\n${done.stdout}\n${done.stderr}`);
  const [packed] = JSON.parse(done.stdout);
  return { tarball: join(out, packed.filename), packed };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: node scripts/pack-checkout.mjs DIR   (an empty folder to pack into)\n");
    process.exit(64);
  }
  mkdirSync(dir, { recursive: true });
  const { tarball } = packCheckout(resolve(dir));
  rmSync(join(resolve(dir), "checkout"), { recursive: true, force: true }); // the tarball is what was asked for
  process.stdout.write(`${tarball}\n`);
}
