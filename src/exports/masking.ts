import { createHash } from "node:crypto";
import type { Value } from "../expr/types.js";
import { textOf } from "../expr/types.js";

export type MaskAction = "redact" | "hash";

/** What a hashed value looks like once published (see maskValue); `clue types` publishes the pattern. */
export const HASHED_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * What an export publishes in place of a masked value: `redact` publishes null (the field stays in the shape, its
 * value does not leave), `hash` publishes `sha256:<hex>` of the value's text, so consumers can still join on it
 * without seeing it. A null value stays null either way.
 */
export function maskValue(value: Value, action: MaskAction | undefined): Value {
  if (action === undefined || value === null) return value;
  if (action === "redact") return null;
  return `sha256:${createHash("sha256").update(textOf(value)).digest("hex")}`;
}
