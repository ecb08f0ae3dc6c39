/**
 * What every command does with its command line before its own work: parse the options it takes (an unknown one is
 * a usage error; main.ts suggests the nearest), answer -h/--help with its usage, and check a --format against the
 * ones it writes.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;
type Config<O extends OptionsConfig> = {
  args: string[];
  options: O & typeof HELP;
  strict: true;
  allowPositionals: boolean;
};
/** What parseArgs gives for these options (named here: the declaration emit cannot name util's own type). */
export type ParsedCommandLine<O extends OptionsConfig> = ReturnType<typeof parseArgs<Config<O>>>;

/**
 * The command's options and positionals, or undefined when -h/--help was given (its usage is printed then, and the
 * command exits 0). Positionals are refused unless `positionals` is true.
 */
export function parseCommandLine<const O extends OptionsConfig>(
  args: string[],
  usage: string,
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
): ParsedCommandLine<O> | undefined {
  const parsed = parseArgs<Config<O>>({
    args,
    options: { ...options, ...HELP },
    strict: true,
    allowPositionals: positionals,
  });
  // Read through a plain type: with O still generic, TypeScript cannot resolve the parsed values' keys here.
  if ((parsed.values as { help?: boolean }).help === true) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  return parsed;
}

/** `value` when it is one of `allowed`, the first of them when not given; anything else is a usage error. */
export function choiceOption<const C extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly [C, ...C[]],
): C {
  if (value === undefined) return allowed[0];
  if ((allowed as readonly string[]).includes(value)) return value as C;
  const list =
    allowed.length === 1
      ? allowed[0]
      : `${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}`;
  throw new UsageError(`unknown ${option} "${value}"; use ${list}`);
}
