import { detectSecret } from "../lint/secret-patterns.js";
import { maskCredentialShapes } from "../lint/secret-redaction.js";
import { SecretMask } from "../util/secret-mask.js";

/**
 * Options whose value is `ID:SECRET[:…]`: the part after the first colon is a secret whatever it looks like
 * (`clue serve --client ci:hunter2`).
 */
const ID_SECRET_OPTIONS = new Set(["client"]);

/**
 * The secrets a command line holds, judged as config values are: an option's value by the option's name
 * (`--token X`, `--client-secret=X`, `--password X`), every argument by shape and entropy (a GitHub token typed as
 * a positional, a URL with a password), and the secret half of `ID:SECRET` for the options that take one — and for
 * every argument of `clue serve`, where a mistyped `--client` leaves `ID:SECRET` as a stray argument.
 */
export function argumentSecrets(argv: readonly string[]): SecretMask {
  const secrets = new SecretMask();
  const idSecretEverywhere = argv[0] === "serve";
  const consider = (value: string, option: string | undefined) => {
    if (value === "") return;
    if (detectSecret(option === undefined ? [] : [option], value)) secrets.add(value);
    // `user:password`, `key=value`, `a@b`: a secret-shaped part is a secret even when the whole is not.
    for (const part of value.split(/[:=@]/)) if (part !== value && detectSecret([], part)) secrets.add(part);
    if (idSecretEverywhere || (option !== undefined && ID_SECRET_OPTIONS.has(option))) {
      const colon = value.indexOf(":");
      if (colon > 0 && !value.startsWith("//", colon + 1))
        secrets.add(value.slice(colon + 1).split(":")[0] ?? "");
    }
  };
  argv.forEach((arg, i) => {
    consider(arg, undefined);
    if (!arg.startsWith("-") || arg === "-" || arg === "--") return;
    const eq = arg.indexOf("=");
    const option = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^-+/, "");
    const next = argv[i + 1];
    if (eq !== -1) consider(arg.slice(eq + 1), option);
    else if (next !== undefined && !next.startsWith("-")) consider(next, option);
  });
  return secrets;
}

/**
 * A usage error (or any message printed before a command could run) never repeats a secret the user typed: node's
 * argument parser and clue's own checks quote option names and values back ("unknown format X", "Unexpected
 * argument X"), so every such message goes through here on its way out. What looks secret reads as `****`.
 */
export function redactUsageMessage(message: string, argv: readonly string[]): string {
  return maskCredentialShapes(argumentSecrets(argv).mask(message));
}
