import type { CluedinTarget } from "../../types/index.js";
import type { OnRetry } from "../http-common.js";
import { maxAttempts, resolveRef, TargetConfigError, type OpenedTarget } from "../open-target.js";
import { CluedinClient } from "./client.js";
import type { Credentials } from "./sign-in.js";
import { CluedinStore, NO_LOCKS_NOTICE } from "./store.js";

/**
 * Opens the CluedIn platform target: WebApi at `api_url` (default `<url>/api`), the identity server at `auth_url`
 * (default `<url>/auth`), signed in with an API token or a user's password. Secrets come from the environment
 * variables the environment file names and are handed back so that every output of the run masks them.
 */
export function openCluedinTarget(
  target: CluedinTarget,
  envFile: string,
  options: { correlationId: string; onRetry?: OnRetry },
): Promise<OpenedTarget> {
  const url = parseUrl(resolveRef(target.url, "target.url", envFile), "target.url", envFile);
  const apiUrl = parseUrl(target.api_url ?? `${trim(url.href)}/api`, "target.api_url", envFile);
  const authUrl = parseUrl(target.auth_url ?? `${trim(url.href)}/auth`, "target.auth_url", envFile);
  const credentials = credentialsOf(target, url, envFile);
  const client = new CluedinClient({
    apiUrl: apiUrl.href,
    authUrl: authUrl.href,
    credentials,
    correlationId: options.correlationId,
    timeoutMs: (target.timeout_seconds ?? 30) * 1000,
    maxAttempts: maxAttempts(),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  const store = new CluedinStore(client, maxAttempts());
  return Promise.resolve({
    store,
    describe: `CluedIn ${trim(url.origin + url.pathname)}`,
    actor: credentials.type === "password" ? credentials.username : "api token",
    secrets: [credentials.type === "api_token" ? credentials.token : credentials.password],
    notice: NO_LOCKS_NOTICE,
    cluedin: store,
  });
}

function credentialsOf(target: CluedinTarget, url: URL, envFile: string): Credentials {
  const auth = target.auth;
  const source = (ref: { from_env?: string }) =>
    ref.from_env !== undefined ? `the environment variable ${ref.from_env}` : "the environment file";
  if (auth.type === "api_token")
    return {
      type: "api_token",
      token: resolveRef(auth.token, "auth.token", envFile),
      source: source(auth.token),
    };
  const organisation =
    auth.organisation !== undefined
      ? resolveRef(auth.organisation, "auth.organisation", envFile)
      : (url.hostname.split(".")[0] ?? "");
  if (organisation === "")
    throw new TargetConfigError(
      `${envFile}: name the organisation in auth.organisation (the URL has no host name)`,
    );
  return {
    type: "password",
    organisation,
    username: resolveRef(auth.username, "auth.username", envFile),
    password: resolveRef(auth.password, "auth.password", envFile),
    source: source(auth.password),
  };
}

function parseUrl(text: string, what: string, envFile: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetConfigError(
      `${envFile}: ${what} is not a URL; give the organisation's URL, e.g. https://mdm-test.example.com`,
    );
  }
  if (url.username !== "" || url.password !== "")
    throw new TargetConfigError(
      `${envFile}: ${what} carries a user name or password; credentials belong in auth, never in the URL`,
    );
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TargetConfigError(`${envFile}: ${what} must be an http(s) URL, not ${url.protocol}`);
  return url;
}

const trim = (text: string) => text.replace(/\/+$/, "");
