// .venv-bench/ (git-ignored): the Python virtual environment with Splink and the packages it needs, every one pinned
// in bench/splink/requirements.txt, for bench:splink and bench:scale. Made with `python3 -m venv` (PYTHON overrides)
// and `pip install -r` on first use, and again when the pins change; after that the benches run offline.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const venv = join(repo, ".venv-bench");
const requirements = join(repo, "bench/splink/requirements.txt");

/** The venv's python, made (and pip-installed) first when it is missing or its pins changed. */
export function splinkPython() {
  const python = join(venv, "bin/python");
  const want = createHash("sha256").update(readFileSync(requirements)).digest("hex");
  const stamp = join(venv, ".requirements.sha256");
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === want)
    return { python, installed: false };
  const system = process.env.PYTHON ?? "python3";
  console.log(`setting up ${venv} (${system} -m venv, pip install -r bench/splink/requirements.txt) ...`);
  const start = performance.now();
  const step = (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (r.status !== 0)
      throw new Error(
        `${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${(r.stderr || r.stdout).trimEnd().split("\n").slice(-30).join("\n")}`,
      );
  };
  rmSync(venv, { recursive: true, force: true });
  step(system, ["-m", "venv", venv]);
  step(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements]);
  writeFileSync(stamp, `${want}\n`);
  return { python, installed: true, ms: performance.now() - start };
}
