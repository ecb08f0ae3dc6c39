import { createHash, randomBytes } from "node:crypto";
import {
  REST_KINDS,
  TargetError,
  type RemoteResource,
  type RestKind,
  type ResourceWrite,
} from "../target/contract.js";
import { canonicalJson } from "../util/canonical-json.js";
import { MAX_BODY_DEPTH, tooDeep } from "../util/json-values.js";

/** The config schemas' name pattern: also what keeps a resource's file name a single, safe path segment. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;
/** The environment schema's name pattern. */
export const ENV_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

export function checkKind(kind: string): asserts kind is RestKind {
  if (!(REST_KINDS as readonly string[]).includes(kind))
    throw new TargetError(404, "unknown_kind", `unknown kind "${kind}"; kinds: ${REST_KINDS.join(", ")}`);
}

export function checkName(name: string): void {
  if (!NAME_PATTERN.test(name))
    throw new TargetError(
      400,
      "invalid_request",
      `name "${name}" must start with a letter or digit and hold only letters, digits, "_", "." and "-" (200 at most)`,
    );
}

export function checkEnv(env: string): void {
  if (!ENV_PATTERN.test(env))
    throw new TargetError(
      400,
      "invalid_request",
      `env "${env}" must start with a lower-case letter and hold only a-z, 0-9, "_" and "-"`,
    );
}

/**
 * Refuses a value nested deeper than MAX_BODY_DEPTH: every later step (the etag's canonical JSON, the idempotency
 * fingerprint, the file written) walks it, and a value too deep for them once committed a resource and then
 * answered 500. `root` names it in the message (`body`; "" for a write made in-process).
 */
export function checkDepth(value: unknown, root: string): void {
  const field = tooDeep(value, MAX_BODY_DEPTH);
  if (field === undefined) return;
  // Only a plain member name is echoed: the message goes back to the client and into its logs.
  const member = /^[A-Za-z0-9_-]{1,64}$/.test(field) ? field : "";
  const where = [root, member].filter(Boolean).join(".") || "the value";
  throw new TargetError(
    400,
    "invalid_request",
    `${where} nests deeper than ${MAX_BODY_DEPTH} levels (the limit; config nests at most 64); nothing was stored`,
  );
}

/** The write as stored: a JSON copy, so callers in-process cannot change it afterwards or slip in a non-JSON value. */
export function checkWrite(write: ResourceWrite): ResourceWrite {
  if (!isPlainObject(write.spec)) throw new TargetError(400, "invalid_request", "spec must be an object");
  const labels = (write.labels as unknown) ?? {};
  if (!isPlainObject(labels) || Object.values(labels).some((v) => typeof v !== "string"))
    throw new TargetError(400, "invalid_request", "labels must be an object of strings");
  // Before the JSON round trip below, which would itself run out of stack on a deep enough spec.
  checkDepth({ spec: write.spec, labels }, "");
  return JSON.parse(JSON.stringify({ spec: write.spec, labels })) as ResourceWrite;
}

/** If-Match may list several tags; a weak tag never matches (RFC 9110 strong comparison), nor does a stale one. */
export function etagMatches(ifMatch: string, etag: string): boolean {
  return ifMatch
    .split(",")
    .map((tag) => tag.trim())
    .some((tag) => tag === "*" || tag === etag);
}

/**
 * `"<version>-<hash>"`: the version makes it readable in logs; the hash of the content and a nonce makes it change
 * with every write, even a delete and re-create of the same content within one millisecond.
 */
export function makeEtag(fields: Record<string, unknown> & { version: number }): string {
  const hash = createHash("sha256")
    .update(canonicalJson(fields))
    .update(randomBytes(8))
    .digest("hex")
    .slice(0, 16);
  return `"${fields.version}-${hash}"`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function checkIfMatch(
  kind: RestKind,
  name: string,
  current: RemoteResource | undefined,
  ifMatch: string,
): void {
  if (!current) throw notFound(kind, name);
  if (!etagMatches(ifMatch, current.etag))
    throw new TargetError(
      412,
      "precondition_failed",
      `${kind}/${name} changed: If-Match ${ifMatch} is not the current ETag ${current.etag} (version ${current.version})`,
    );
}

export function notFound(kind: RestKind, name: string): TargetError {
  return new TargetError(404, "not_found", `${kind}/${name} does not exist`);
}
