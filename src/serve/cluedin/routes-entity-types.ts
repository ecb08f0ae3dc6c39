import { uuidV5 } from "../../util/uuid-v5.js";
import { STANDIN_NAMESPACE } from "./auth.js";
import { byCreation, invalid, nameMatches, newId, ok, paged, problem, stamp, type Route } from "./common.js";
import type { Stored } from "./store.js";

/**
 * A few of the ~145 entity types the platform ships. They exist before anyone writes anything and a create of their
 * code is refused like any taken code: a client must look before it creates.
 */
const BUILT_IN = ["/Person", "/Organization", "/Document", "/Infrastructure/User", "/Infrastructure/Contact"];
const SYSTEM_USER = "00000000-0000-0000-0000-000000000000";
const SHIPPED_AT = "2020-01-01T00:00:00.0000000+00:00";

const builtIn: Stored[] = BUILT_IN.map((type) => ({
  id: uuidV5(`entity-type:${type}`, STANDIN_NAMESPACE),
  type,
  displayName: type.split("/").pop() ?? type,
  icon: null,
  route: type.slice(1).toLowerCase(),
  active: true,
  source: "CluedIn",
  createdAt: SHIPPED_AT,
  createdBy: SYSTEM_USER,
  modifiedAt: SHIPPED_AT,
  modifiedBy: SYSTEM_USER,
}));

/** Entity type codes: `/Name` or `/Path/Name`, each part a letter then letters or digits. */
const CODE = /^(\/[A-Za-z][A-Za-z0-9]*)+$/;

export const entityTypeRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/entitytypeinfo/paged",
    write: false,
    handle({ query }, { store }) {
      const all = [...builtIn, ...store.list("entityTypes").sort(byCreation)].filter(
        (t) => nameMatches(t.type, query.searchName) || nameMatches(t.displayName, query.searchName),
      );
      return paged(all, query, 10);
    },
  },
  {
    method: "POST",
    path: "/api/entitytypeinfo",
    write: true,
    async handle({ body, principal }, { store, now }) {
      const given = body as Record<string, unknown> & { type: string };
      if (!CODE.test(given.type))
        return invalid("type", `"${given.type}" is not an entity type code such as /Person`);
      const taken = [...builtIn, ...store.list("entityTypes")].some(
        (t) => String(t.type).toLowerCase() === given.type.toLowerCase(),
      );
      if (taken) return problem(409, "Conflict", `the entity type ${given.type} exists`);
      const id = newId();
      await store.put("entityTypes", {
        ...given,
        id,
        displayName: given.displayName ?? given.type.slice(1),
        route: given.route ?? given.type.slice(1).toLowerCase(),
        active: given.active ?? true,
        source: "User",
        ...stamp(undefined, principal, now()),
      });
      return ok(id);
    },
  },
];
