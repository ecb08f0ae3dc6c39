import type { Formatter } from "./formatter.js";
import { github } from "./github.js";
import { human } from "./human.js";
import { json } from "./json.js";
import { sarif } from "./sarif.js";

export const formatters = { human, json, github, sarif } as const satisfies Record<string, Formatter>;

export type FormatName = keyof typeof formatters;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(formatters, name);
}
