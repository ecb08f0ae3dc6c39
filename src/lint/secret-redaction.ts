import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { MASK, type SecretMask } from "../util/secret-mask.js";
import { credentialShape } from "./secret-patterns.js";

/** Words of free text, split as the secret scan splits comments: a credential never holds these characters. */
const WORD = /[^\s"'`,;|]+/g;
/** `Bearer <token>` spans two words; the token is masked whatever it looks like. */
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{8,}=*/gi;

/**
 * Masks every word of a text that has the shape of a known credential (a vendor token, a JWT, a password in a URL,
 * an `Authorization` value). The second line of defence behind the exact secrets of a run: it needs no knowledge of
 * where the text came from, so it also covers texts no scan saw (a YAML tag resolved against a `%TAG` prefix, a value
 * quoted with escapes, a server's message).
 */
export function maskCredentialShapes(text: string): string {
  if (text.length < 12) return text;
  return text
    .replace(AUTH_SCHEME, (_, scheme: string, space: string) => `${scheme}${space}${MASK}`)
    .replace(WORD, (word) => (credentialShape(word) === undefined ? word : MASK));
}

/** Known secrets, then credential shapes. */
export function redactText(text: string, secrets: SecretMask): string {
  return maskCredentialShapes(secrets.mask(text));
}

/**
 * The one redaction step every finding goes through before any formatter sees it: its message, its hint and every
 * key of its path (a secret used as a YAML key is part of the path of everything under it). Formatters then print
 * what they are given; none has to know about secrets. Code frames are masked by range (see `redactions`).
 */
export function redactDiagnostic(d: Diagnostic, secrets: SecretMask): Diagnostic {
  const message = redactText(d.message, secrets);
  const hint = d.hint === undefined ? undefined : redactText(d.hint, secrets);
  let path = d.path;
  d.path.forEach((key, i) => {
    if (typeof key !== "string") return;
    const masked = redactText(key, secrets);
    if (masked === key) return;
    if (path === d.path) path = [...d.path];
    (path as (string | number)[])[i] = masked;
  });
  if (message === d.message && hint === d.hint && path === d.path) return d;
  return { ...d, message, path, ...(hint === undefined ? {} : { hint }) };
}
