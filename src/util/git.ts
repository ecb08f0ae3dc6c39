import { execFileSync } from "node:child_process";

/** The commit checked out in `root`, with `-dirty` when config/ or env/ has uncommitted changes; null outside git. */
export function gitRevision(root: string): string | null {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "config", "env"], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    }).trim();
    return dirty === "" ? head : `${head}-dirty`;
  } catch {
    return null;
  }
}
