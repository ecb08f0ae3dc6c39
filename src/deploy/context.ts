import { randomUUID } from "node:crypto";
import type { EnvironmentFile, Project } from "../config/project.js";
import { detectSecret } from "../lint/secret-patterns.js";
import { UsageError } from "../cli/errors.js";
import { loadValidProject } from "../cli/project-check.js";
import { openTarget, TargetConfigError, type OpenedTarget } from "../target/open-target.js";
import { didYouMean } from "../util/did-you-mean.js";
import { safeTerminalText } from "../util/terminal-text.js";

export interface DeployContext {
  root: string;
  project: Project;
  env: EnvironmentFile;
  target: OpenedTarget;
  correlationId: string;
  /** Masks every known secret (the client secret) in a text about to be printed or saved. */
  mask: (text: string) => string;
  /** For plan values: a value that looks like a credential is shown as `(sensitive)`. */
  redact: (path: string, value: unknown) => unknown;
}

export function findEnvironment(project: Project, name: string): EnvironmentFile {
  const env = project.environments.find((e) => e.name === name);
  if (env) return env;
  const names = project.environments.map((e) => e.name);
  const guess = didYouMean(name, names);
  throw new UsageError(
    `no environment "${name}" under env/${guess ? `; did you mean "${guess}"?` : ` (environments: ${names.join(", ") || "none"})`}`,
  );
}

/** Loads the project (refusing config with errors), finds the environment and opens its target. */
export async function openDeploy(
  projectOption: string | undefined,
  envName: string,
  color: boolean,
  onRetry?: (text: string) => void,
  options: { envFileOnly?: boolean } = {},
): Promise<DeployContext | undefined> {
  const loaded = loadValidProject(
    projectOption,
    color,
    options.envFileOnly
      ? (file) => file.startsWith("env/") && /^env\/([^/]+)\.ya?ml$/.exec(file)?.[1] === envName
      : undefined,
  );
  if (!loaded) return undefined;
  const env = findEnvironment(loaded.project, envName);
  const correlationId = process.env.CLUE_CORRELATION_ID || randomUUID();
  let target: OpenedTarget;
  try {
    target = await openTarget(loaded.root, env.spec, env.doc.file.path, {
      correlationId,
      ...(onRetry
        ? {
            onRetry: ({ method, path, attempt, delayMs, reason }) =>
              onRetry(
                `retrying ${method} ${safeTerminalText(path, { midLine: true })} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}; ${reason})`,
              ),
          }
        : {}),
    });
  } catch (error) {
    if (!(error instanceof TargetConfigError)) throw error;
    process.stderr.write(`clue: ${error.message}\n`);
    return undefined;
  }
  const secrets = target.secrets.filter((s) => s.length >= 4);
  const mask = (text: string) => secrets.reduce((t, s) => t.split(s).join("(secret)"), text);
  return { ...loaded, env, target, correlationId, mask, redact: redactValue };
}

function redactValue(path: string, value: unknown): unknown {
  const keys = path.split(".");
  if (typeof value === "string") return detectSecret(keys, value) ? "(sensitive)" : value;
  if (Array.isArray(value)) return value.map((v, i) => redactValue(`${path}.${i}`, v));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(`${path}.${k}`, v)]));
  return value;
}
