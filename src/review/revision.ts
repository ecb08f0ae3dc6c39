import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export class RevisionError extends Error {
  override name = "RevisionError";
}

export interface Revision {
  /** A folder holding the project at that revision: a temporary copy, or the project itself for the working tree. */
  dir: string;
  /** What the user asked for (`main`, `HEAD~1`), or "working tree". */
  label: string;
  /** The full commit id; null for the working tree. */
  sha: string | null;
  cleanup(): void;
}

function git(cwd: string, args: string[], input?: string): Buffer {
  try {
    return execFileSync("git", args, {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      maxBuffer: 512 * 1024 * 1024,
      ...(input !== undefined ? { input } : {}),
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? "";
    throw new RevisionError(`git ${args[0] ?? ""} failed: ${stderr || (error as Error).message}`);
  }
}

/**
 * The project's config/, env/ and ignore file at a git revision, copied into a temporary folder from git's object
 * store (ls-tree and cat-file): the user's working tree, index and HEAD are never touched.
 */
export function readRevision(root: string, ref: string | undefined): Revision {
  if (ref === undefined) return { dir: root, label: "working tree", sha: null, cleanup: () => {} };
  let prefix: string;
  try {
    prefix = git(root, ["rev-parse", "--show-prefix"]).toString().trim();
  } catch {
    throw new RevisionError(
      `${root} is not inside a git repository, so it has no revision "${ref}" to compare with`,
    );
  }
  let sha: string;
  try {
    sha = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new RevisionError(
      `no git revision "${ref}" (try a branch, a tag or a commit; in CI, fetch with fetch-depth: 0)`,
    );
  }
  const paths = [
    "config",
    "env",
    ".clueignore.yaml",
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "docs/CODEOWNERS",
  ].map((p) => `${prefix}${p}`);
  const listed = git(root, ["ls-tree", "-r", "-z", "--full-tree", sha, "--", ...paths])
    .toString()
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [meta = "", path = ""] = line.split("\t");
      const [, type, object] = meta.split(" ");
      return { type, object: object ?? "", path };
    })
    .filter((e) => e.type === "blob");
  const dir = mkdtempSync(join(tmpdir(), "clue-rev-"));
  if (listed.length > 0) {
    // One cat-file process for every blob: its output is each blob's header line, content and a newline.
    const out = git(root, ["cat-file", "--batch"], listed.map((e) => e.object).join("\n") + "\n");
    let at = 0;
    for (const entry of listed) {
      const eol = out.indexOf(10, at);
      const size = Number(out.subarray(at, eol).toString().split(" ")[2]);
      const content = out.subarray(eol + 1, eol + 1 + size);
      at = eol + 1 + size + 1;
      const target = join(dir, entry.path.slice(prefix.length));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
  return { dir, label: ref, sha, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
