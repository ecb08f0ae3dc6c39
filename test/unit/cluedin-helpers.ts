import { fileURLToPath } from "node:url";
import { loadProject, type Project, type ProjectInput } from "../../src/config/project.js";
import { readProjectFiles } from "../../src/config/read-project.js";
import { desiredState } from "../../src/deploy/desired.js";
import { compileForCluedin } from "../../src/cluedin/compile.js";
import type { CluedinObject } from "../../src/cluedin/model.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const EVENT_HUB_TARGET = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
export const WAREHOUSE_TARGET = "0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a";

/** An environment on the CluedIn platform, whose connection variables are export target ids. */
export const CLUEDIN_ENV = `name: cluedin
target:
  type: cluedin
  url: { from_env: CLUEDIN_URL }
  auth: { type: api_token, token: { from_env: CLUEDIN_API_TOKEN } }
variables:
  warehouse_connection: ${WAREHOUSE_TARGET}
  event_hub_connection: ${EVENT_HUB_TARGET}
`;

const encode = (path: string, text: string): ProjectInput => ({
  path,
  bytes: new TextEncoder().encode(text),
});

/** The example project (config/ of this repository) with the cluedin environment added. */
export function exampleProject(): Project {
  const files = readProjectFiles(ROOT);
  return loadProject([...files.inputs, encode("env/cluedin.yaml", CLUEDIN_ENV)], files.dataFiles);
}

/** A project made of the given config files and the cluedin environment. */
export function projectOf(files: Record<string, string>): Project {
  return loadProject([
    ...Object.entries(files).map(([p, t]) => encode(p, t)),
    encode("env/cluedin.yaml", CLUEDIN_ENV),
  ]);
}

export function compileProject(project: Project) {
  const env = project.environments.find((e) => e.name === "cluedin")!;
  return compileForCluedin(project, desiredState(project, env).resources);
}

export function allObjects(compiled: Map<string, { objects: CluedinObject[] }>): CluedinObject[] {
  return [...compiled.values()].flatMap((r) => r.objects);
}
