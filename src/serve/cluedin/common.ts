import { randomUUID } from "node:crypto";
import { enumValue, type EnumTable } from "../../cluedin/enums.js";
import type { Reply } from "../http-io.js";
import type { Principal } from "./auth.js";
import type { GoldenRecord } from "./conditions.js";
import type { CluedinStore, Stored } from "./store.js";

/** One call as a route handler sees it: path parameters, the checked query, the parsed body, who is asking. */
export interface Call {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  principal: Principal;
}

export interface Context {
  store: CluedinStore;
  /** The next timestamp, always later than the last (clock.ts). */
  now: () => string;
  organisationId: string;
  entities: GoldenRecord[];
}

/** One operation the stand-in answers; `path` is the published template it implements. */
export interface Route {
  method: string;
  path: string;
  /** Writes run one at a time and need a principal that is not read-only. */
  write: boolean;
  handle(call: Call, context: Context): Promise<Reply> | Reply;
}

/** ASP.NET Core's problem details (RFC 9457), the shape the platform's errors most likely have. */
export function problem(
  status: number,
  title: string,
  detail?: string,
  errors?: Record<string, string[]>,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    body: {
      type: `https://tools.ietf.org/html/rfc9110#section-15.${status < 500 ? 5 : 6}.${status < 500 ? status - 399 : status - 499}`,
      title,
      status,
      ...(detail !== undefined ? { detail } : {}),
      ...(errors !== undefined ? { errors } : {}),
    },
    headers,
  };
}

export const ok = (body?: unknown): Reply => ({ status: 200, ...(body !== undefined ? { body } : {}) });
export const notFound = (what: string, id: string): Reply =>
  problem(404, "Not Found", `${what} ${id} was not found`);
export const invalid = (field: string, message: string): Reply =>
  problem(400, "One or more validation errors occurred.", `${field}: ${message}`, { [field]: [message] });

/** 200 with the object, or 404 naming what was asked for. */
export const found = (object: Stored | undefined, what: string, id: string | undefined): Reply =>
  object ? ok(object) : notFound(what, id ?? "");

export const newId = (): string => randomUUID();

/** The bookkeeping fields every object carries; `modifiedAt` moves on every write. */
export function stamp(
  before: Stored | undefined,
  principal: Principal,
  now: string,
): { createdAt: unknown; createdBy: unknown; modifiedAt: string; modifiedBy: string } {
  return {
    createdAt: before?.createdAt ?? now,
    createdBy: before?.createdBy ?? principal.userId,
    modifiedAt: now,
    modifiedBy: principal.userId,
  };
}

/** REST paging: `page` 0-based, `take` per page (the operation's default when absent): `{data, total}`. */
export function paged<T>(
  items: T[],
  query: Record<string, unknown>,
  defaultTake: number,
  pageName = "page",
): Reply {
  const page = numberOr(query[pageName], 0);
  const take = numberOr(query[pageName === "Page" ? "Take" : "take"], defaultTake);
  const start = Math.max(0, page) * Math.max(0, take);
  return ok({ data: items.slice(start, start + Math.max(0, take)), total: items.length });
}

/** `searchName`: a case-insensitive substring, never an exact match (clients filter exactly themselves). */
export function nameMatches(name: unknown, search: unknown): boolean {
  if (typeof search !== "string" || search === "") return true;
  return typeof name === "string" && name.toLowerCase().includes(search.toLowerCase());
}

/** An enum given as its integer or its name, as the integer (names from src/cluedin/enums.ts). */
export function enumInt(table: EnumTable, value: unknown, fallback: number): number {
  if (typeof value === "number") return value;
  // A query string's "2" may reach here unconverted (ajv does not coerce inside anyOf).
  if (typeof value === "string")
    return /^\d+$/.test(value) ? Number(value) : (enumValue(table, value) ?? fallback);
  return fallback;
}

/** Oldest first, as the platform lists by default. */
export function byCreation(a: Stored, b: Stored): number {
  return String(a.createdAt).localeCompare(String(b.createdAt));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}
