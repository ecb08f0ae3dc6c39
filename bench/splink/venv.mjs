// .venv-bench/ (git-ignored): the Python environment of the benches that run Splink (bench/splink.mjs, bench/scale.mjs),
// made with `python3 -m venv` and filled with `pip install -r bench/splink/requirements.txt` (every package pinned)
// the first time, and again when that file changes; after that the benches run offline. PYTHON (default python3)
// makes it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));
export const venv = join(repo, ".venv-bench");
export const venvPython = join(venv, "bin/python");
const requirements = join(repo, "bench/splink/requirements.txt");

/** .venv-bench/ with the pinned packages: made (and pip-installed) on first use and when the pins change. */
export function ensureVenv() {
  const want = createHash("sha256").update(readFileSync(requirements)).digest("hex");
  const stamp = join(venv, ".requirements.sha256");
  if (existsSync(venvPython) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want)
    return { installed: false };
  const python = process.env.PYTHON ?? "python3";
  console.log(`setting up ${venv} (${python} -m venv, pip install -r bench/splink/requirements.txt) ...`);
  const start = performance.now();
  const step = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0)
      throw new Error(
        `${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${(r.stderr || r.stdout).trim().split("\n").slice(-30).join("\n")}`,
      );
  };
  rmSync(venv, { recursive: true, force: true });
  step(python, ["-m", "venv", venv]);
  step(venvPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements]);
  writeFileSync(stamp, `${want}\n`);
  return { installed: true, ms: performance.now() - start };
}
