import type { NodePath } from "../diagnostics/diagnostic.js";

/** Calls `visit` for every string in a plain value, with its path. */
export function walkStrings(
  value: unknown,
  visit: (text: string, path: NodePath) => void,
  path: NodePath = [],
): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, visit, [...path, i]));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) walkStrings(item, visit, [...path, key]);
  }
}
