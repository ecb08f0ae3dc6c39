/** The project as a worker thread reads it, and a fingerprint that tells whether it is the main thread's. */
import { hash } from "node:crypto";
import { loadProject, type Project } from "../config/project.js";
import { readProjectFiles } from "../config/read-project.js";

/** Reads and parses the project under `root` (the main thread has validated it; it is not linted again). */
export function readProject(root: string): Project {
  const { inputs, dataFiles, otherInputs } = readProjectFiles(root);
  return loadProject(inputs, dataFiles, otherInputs);
}

/** A hash of every file the project was read from: equal for the main thread's project and a worker's. */
export function projectFingerprint(project: Project): string {
  const parts: string[] = [];
  for (const file of [...project.files, ...project.otherFiles]) parts.push(file.path, file.text);
  return hash("sha256", parts.join("\u0000"));
}
