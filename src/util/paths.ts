import { posix } from "node:path";

/** A project-relative path that leads out of the project (`../..`), or an absolute one. */
export function outsideProject(path: string): boolean {
  const normal = posix.normalize(path);
  return normal === ".." || normal.startsWith("../") || posix.isAbsolute(normal);
}
