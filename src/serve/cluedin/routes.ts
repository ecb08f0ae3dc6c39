import { matcher } from "../openapi.js";
import type { Route } from "./common.js";
import { dedupRoutes } from "./routes-dedup.js";
import { entityTypeRoutes } from "./routes-entity-types.js";
import { ruleRoutes } from "./routes-rules.js";
import { streamRoutes } from "./routes-streams.js";
import { vocabularyRoutes } from "./routes-vocabularies.js";
import type { PublishedOperation } from "./schemas.js";

/** Every operation the stand-in answers: one entry per published operation of the agreed surface. */
export const ROUTES: Route[] = [
  ...ruleRoutes,
  ...entityTypeRoutes,
  ...vocabularyRoutes,
  ...dedupRoutes,
  ...streamRoutes,
];

export interface BoundRoute {
  route: Route;
  published: PublishedOperation;
  match(path: string): Record<string, string> | undefined;
}

/**
 * Pairs each route with its published operation. A route the extract does not publish, or a published operation
 * with no route, is a bug in the stand-in, found at start rather than by a client.
 */
export function bindRoutes(published: PublishedOperation[], routes: Route[] = ROUTES): BoundRoute[] {
  const key = (o: { method: string; path: string }) => `${o.method} ${o.path}`;
  const byKey = new Map(published.map((p) => [key(p), p]));
  const bound = routes.map((route) => {
    const op = byKey.get(key(route));
    if (!op) throw new Error(`${key(route)} is not in openapi/cluedin/webapi.extract.json`);
    return { route, published: op, match: matcher(route.path) };
  });
  const missing = published.filter((p) => !routes.some((r) => key(r) === key(p)));
  if (missing.length > 0) throw new Error(`no route for ${missing.map(key).join(", ")}`);
  // Literal segments before parameters: `/projects/rules/matchingfunctions` is not project "rules".
  return bound.sort((a, b) => literalScore(b.route.path) - literalScore(a.route.path));
}

function literalScore(path: string): number {
  return path.split("/").filter((s) => s !== "" && !s.startsWith("{")).length;
}
