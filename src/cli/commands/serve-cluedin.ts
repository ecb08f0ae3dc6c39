import { parseApiTokens, parseUsers } from "../../serve/cluedin/auth.js";
import { startCluedinServer, type CluedinServeOptions } from "../../serve/cluedin/server.js";
import type { RunningServer } from "../../serve/server.js";
import { UsageError } from "../errors.js";

/** The organisation name is the first DNS label of a real organisation's URL, so it is one. */
const ORGANISATION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** `clue serve --api cluedin`: who may sign in comes from the environment, which keeps secrets off the command line. */
export function startCluedinStandIn(
  common: Omit<CluedinServeOptions, "organisation" | "users" | "apiTokens">,
  organisation: string,
  env: NodeJS.ProcessEnv,
): Promise<RunningServer> {
  if (!ORGANISATION.test(organisation))
    throw new UsageError(`--org must be a DNS label such as mdm-test (got "${organisation}")`);
  const apiTokens = parseApiTokens(env.CLUE_SERVE_TOKENS);
  if (typeof apiTokens === "string") throw new UsageError(apiTokens);
  const users = parseUsers(env.CLUE_SERVE_USERS);
  if (typeof users === "string") throw new UsageError(users);
  if (apiTokens.length === 0 && users.length === 0)
    throw new UsageError("--api cluedin needs CLUE_SERVE_TOKENS or CLUE_SERVE_USERS: nobody could sign in");
  return startCluedinServer({ ...common, organisation, users, apiTokens });
}
