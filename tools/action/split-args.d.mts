// Types for tools/action/split-args.mjs (plain JavaScript: the action runs it without a build).
export function splitArgs(text: string): string[];
