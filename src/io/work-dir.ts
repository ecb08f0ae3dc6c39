import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, parse } from "node:path";

/** The folder clue keeps its own files in, under the project: state, dead letters, a local server's store. */
export const WORK_DIR = ".clue";

/**
 * Keeps clue's working folder out of git, the way Python's tool caches do: `.clue/.gitignore` holding `*`, written
 * when the folder is made, so a local target's state or a dead-letter file (which holds records) is never committed by
 * accident, with no change to the user's own .gitignore. `path` is any path at or under a `.clue` folder; a path
 * elsewhere (a user's `--data` or `path:`) is left alone.
 */
export function keepOutOfGit(path: string): void {
  let dir = path;
  const { root } = parse(dir);
  while (dir !== root && !dir.endsWith(`/${WORK_DIR}`) && !dir.endsWith(`\\${WORK_DIR}`)) dir = dirname(dir);
  if (dir === root) return;
  const ignore = join(dir, ".gitignore");
  if (existsSync(ignore)) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(ignore, "# Written by clue: its working files (state, dead letters) stay out of git.\n*\n");
}
