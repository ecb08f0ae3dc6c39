/**
 * Literal-secret detection for config scalars.
 *
 * The linter walks every scalar string with its key path and asks this module whether it is a
 * literal secret. Secrets must be references (`{ from_env: NAME }`, `{ vault: "kv/path#key" }`),
 * so any literal credential is an error. Findings carry only fixed text (plus key names and
 * lengths) and never any part of the value: the diagnostic is printed to CI logs.
 *
 * Pure: no fs, network or clock.
 */

export type SecretFinding =
  { code: "security/literal-secret"; reason: string } | { code: "security/secret-pattern"; reason: string };

/** A named predicate over a scalar value; used for both credential shapes and non-secret shapes. */
export interface ValueShape {
  /** Noun phrase used in the reason, e.g. "a JSON Web Token". Must never contain the value. */
  readonly name: string;
  test(value: string): boolean;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/** Shortest value fragment we treat as leaking when it shows up in a reason. */
const MIN_LEAK_LENGTH = 6;

/** Keys whose value is a reference (an env var name or a vault path), never the secret itself. */
const REFERENCE_KEYS: ReadonlySet<string> = new Set(["from_env", "vault"]);

/** `${var.NAME}` / `${env.NAME}`: resolved at runtime, so not a literal. */
const INTERPOLATION_RE = /^\$\{\s*(?:var|env)\.[A-Za-z_][A-Za-z0-9_]*\s*\}$/;

/** Words of an identifier: ALLCAPS runs (stopping before a Capitalised word), words, digit runs. */
const WORD_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** Splits a key (or identifier) into lowercase words on `_`, `-`, `.`, camelCase and digits. */
export function splitWords(text: string): string[] {
  return (text.match(WORD_RE) ?? []).map((word) => word.toLowerCase());
}

function isBlank(value: string): boolean {
  return value.trim() === "";
}

function isInterpolation(value: string): boolean {
  return INTERPOLATION_RE.test(value.trim());
}

/** A captured fragment (password, key, signature) that is really there and not a `${…}` reference. */
function isLiteralPart(part: string | undefined): boolean {
  return part !== undefined && !isBlank(part) && !isInterpolation(part);
}

/** True when any match of `re` (which must be global) captures a literal in group 1. */
function capturesLiteral(re: RegExp, value: string): boolean {
  for (const match of value.matchAll(re)) {
    if (isLiteralPart(match[1])) return true;
  }
  return false;
}

/** True when `a` and `b` share a substring of `length` characters (case-insensitive). */
function sharesSubstring(a: string, b: string, length: number): boolean {
  const haystack = a.toLowerCase();
  const needle = b.toLowerCase();
  for (let i = 0; i + length <= needle.length; i++) {
    if (haystack.includes(needle.slice(i, i + length))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Rule 1: secret-looking key names
// ---------------------------------------------------------------------------------------------

/**
 * A key word is secret-looking when it ends with one of these, so joined spellings such as
 * `dbpassword` or `githubtoken` count too. `tokens` is deliberately absent: `max_tokens` is a count.
 */
const SECRET_WORD_ENDINGS: readonly string[] = [
  "password",
  "passwords",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "apikey",
  "apikeys",
  "accesskey",
  "privatekey",
  "credential",
  "credentials",
  "connectionstring",
];

/** Whole words that are secret-looking on their own but too short to match as endings. */
const SECRET_WORDS: ReadonlySet<string> = new Set(["bearer"]);

/** Adjacent word pairs that name a secret although neither word does alone (`api_key`). */
const SECRET_WORD_PAIRS: readonly (readonly [string, string])[] = [
  ["api", "key"],
  ["api", "keys"],
  ["access", "key"],
  ["private", "key"],
  ["signing", "key"],
  ["encryption", "key"],
  ["sas", "key"],
  ["connection", "string"],
  ["conn", "str"],
];

/**
 * Final words that make the key describe a secret rather than hold it: `token_url`, `secret_ref`,
 * `password_env`, `api_key_header`. The first group is the agreed list; the second covers other
 * metadata that is common in auth config (`token_lifetime`, `password_column`).
 */
const METADATA_WORDS: ReadonlySet<string> = new Set([
  ...["type", "url", "uri", "endpoint", "name", "env", "ref", "path", "file", "header"],
  ...["ttl", "expiry", "expires", "expiration", "lifetime", "length", "count", "limit", "policy"],
  ...["format", "pattern", "regex", "field", "column", "prefix", "scope", "scopes", "version"],
  ...["issuer", "audience", "algorithm", "hint", "description"],
]);

function isSecretWord(word: string): boolean {
  return SECRET_WORDS.has(word) || SECRET_WORD_ENDINGS.some((ending) => word.endsWith(ending));
}

function hasSecretPair(words: readonly string[]): boolean {
  return words.some((word, i) => SECRET_WORD_PAIRS.some(([a, b]) => word === a && words[i + 1] === b));
}

/** Last word ignoring trailing numbers, so `token_url_2` still ends with `url`. */
function lastMeaningfulWord(words: readonly string[]): string | undefined {
  return words.findLast((word) => !/^[0-9]+$/.test(word));
}

/** Whether a mapping key names a secret value (`client_secret`, `apiKey`, `DB_PASSWORD`). */
/** Config repeats the same keys thousands of times; the answer for each is computed once. */
const secretKeyMemo = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  const known = secretKeyMemo.get(key);
  if (known !== undefined) return known;
  const result = isSecretKeyUncached(key);
  if (secretKeyMemo.size >= 10_000) secretKeyMemo.clear();
  secretKeyMemo.set(key, result);
  return result;
}

function isSecretKeyUncached(key: string): boolean {
  if (REFERENCE_KEYS.has(key)) return false;
  const words = splitWords(key);
  const last = lastMeaningfulWord(words);
  if (last === undefined || METADATA_WORDS.has(last)) return false;
  return words.some(isSecretWord) || hasSecretPair(words);
}

function lastStringKey(keyPath: readonly (string | number)[]): string | undefined {
  return keyPath.findLast((key): key is string => typeof key === "string");
}

function detectByKey(keyPath: readonly (string | number)[], value: string): SecretFinding | undefined {
  // Anything under a reference is a variable name or a vault path, not the secret.
  if (keyPath.some((key) => typeof key === "string" && REFERENCE_KEYS.has(key))) return undefined;
  const key = lastStringKey(keyPath);
  if (key === undefined || !isSecretKey(key)) return undefined;
  // `password: password` is realistic; printing that key name would print the value.
  const subject = sharesSubstring(key, value, MIN_LEAK_LENGTH)
    ? "a secret-looking key"
    : `key ${JSON.stringify(key)}`;
  return { code: "security/literal-secret", reason: `${subject} holds a literal value` };
}

// ---------------------------------------------------------------------------------------------
// Rule 2: values shaped like known credentials
// ---------------------------------------------------------------------------------------------

/** `Basic <base64(user:pass)>`; decoding tells it apart from prose like "Basic authentication". */
function isBasicCredential(encoded: string | undefined): boolean {
  if (encoded === undefined) return false;
  const decoded = Buffer.from(encoded, "base64").toString("latin1");
  return /^[\x21-\x7e]+:[\x20-\x7e]+$/.test(decoded);
}

/** `Bearer <token>`: require a digit so prose like "Bearer authentication" does not match. */
function isBearerToken(token: string | undefined): boolean {
  return token !== undefined && token.length >= 16 && /[0-9]/.test(token) && /[A-Za-z]/.test(token);
}

function hasSecretQueryParameter(value: string): boolean {
  // Names limited to URL-ish characters so JSONPath filters like `[?(@.token=='x')]` do not match.
  for (const match of value.matchAll(/[?&]([\w.%-]+)=([^&#\s]*)/g)) {
    if (isSecretKey(decodeQueryName(match[1] ?? "")) && isLiteralPart(match[2])) return true;
  }
  return false;
}

function decodeQueryName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * Three base64url segments, the first a JSON header (`eyJ`). Written without a regex over the whole value:
 * `\beyJ[\w-]{8,}\.` backtracks quadratically on a long run of `-eyJAAAA` with no dot (a 5 MiB file would take
 * hours), while this scans each token once.
 */
function looksLikeJwt(value: string): boolean {
  if (!value.includes("eyJ")) return false;
  for (const token of value.split(/[^A-Za-z0-9_.-]+/)) {
    const segments = token.split(".");
    for (let i = 0; i + 2 < segments.length; i++) {
      const header = segments[i] ?? "";
      // The header starts at the segment's start or after a `-` (a word boundary): the first candidate is the longest.
      const start = header.startsWith("eyJ") ? 0 : header.indexOf("-eyJ") + 1;
      if (start === 0 && !header.startsWith("eyJ")) continue;
      if (header.length - start - 3 < 8) continue;
      if (/^[A-Za-z0-9_-]{8,}$/.test(segments[i + 1] ?? "")) return true;
    }
  }
  return false;
}

/**
 * Known credential formats. Patterns search inside the value (secrets hide in headers, URLs and
 * connection strings) and are anchored on the vendor prefix so ordinary text cannot match.
 * Names avoid echoing the syntax they match (`Password=`, `Bearer `) so a reason never repeats
 * a run of the value's characters.
 */
export const CREDENTIAL_SHAPES: readonly ValueShape[] = [
  {
    name: "a PEM private key",
    test: (v) => /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.test(v),
  },
  {
    name: "a JSON Web Token",
    test: looksLikeJwt,
  },
  {
    name: "an AWS access key id",
    test: (v) => /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/.test(v),
  },
  {
    name: "a GitHub token",
    test: (v) => /\bgh[pousr]_[A-Za-z0-9]{30,}\b/.test(v) || /\bgithub_pat_[A-Za-z0-9_]{22,}/.test(v),
  },
  {
    name: "a Slack token",
    test: (v) => /\bxox[abprs]-[A-Za-z0-9-]{10,}/.test(v),
  },
  {
    name: "a Slack webhook URL",
    test: (v) => /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/.test(v),
  },
  {
    name: "a Stripe live key",
    test: (v) => /\b[rs]k_live_[A-Za-z0-9]{16,}/.test(v),
  },
  {
    name: "a Google API key",
    test: (v) => /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/.test(v),
  },
  {
    name: "a HashiCorp Vault token",
    test: (v) => /\bhv[sbr]\.[A-Za-z0-9_-]{24,}/.test(v),
  },
  {
    name: "an Azure connection string with a shared key",
    test: (v) => capturesLiteral(/(?:^|;)\s*(?:AccountKey|SharedAccessKey)\s*=\s*([^;]*)/gi, v),
  },
  {
    name: "a connection string with an embedded credential",
    test: (v) => capturesLiteral(/(?:^|;)\s*(?:Password|Pwd)\s*=\s*([^;]*)/gi, v),
  },
  {
    name: "a URL with embedded credentials",
    test: (v) => capturesLiteral(/\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/?#@:]*:([^\s/?#@]+)@/gi, v),
  },
  {
    name: "an Azure SAS token",
    test: (v) => capturesLiteral(/(?:^|[?&])sig=([^&#\s]+)/gi, v),
  },
  {
    name: "a URL with a credential in its query string",
    test: hasSecretQueryParameter,
  },
  {
    name: "an HTTP authorization token",
    test: (v) => [...v.matchAll(/\bBearer\s+([A-Za-z0-9._~+/-]+=*)/gi)].some((m) => isBearerToken(m[1])),
  },
  {
    name: "an HTTP basic-auth credential",
    test: (v) =>
      [...v.matchAll(/\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gi)].some((m) =>
        isBasicCredential(m[1]),
      ),
  },
];

/**
 * Something every credential shape above contains (a vendor prefix, `=`, `://`, an auth scheme). Most config values
 * contain none, and one scan for this spares them the ~20 shape tests. Keep it in step with CREDENTIAL_SHAPES.
 */
const SHAPE_MARKERS =
  /BEGIN|eyJ|AKIA|ASIA|gh[pousr]_|github_pat_|xox|slack|_live_|AIza|hv[sbr]\.|=|:\/\/|bearer|basic/i;

/** Shorter than any credential shape (the shortest, `Basic` credentials and AWS key ids, take 16 or more). */
const MIN_SHAPE_LENGTH = 12;

/** The known credential shape a text contains (a vendor token, a JWT, a password in a URL…), by name; no entropy guess. */
export function credentialShape(value: string): string | undefined {
  if (value.length < MIN_SHAPE_LENGTH || !SHAPE_MARKERS.test(value)) return undefined;
  return CREDENTIAL_SHAPES.find((candidate) => candidate.test(value))?.name;
}

function detectByShape(value: string): SecretFinding | undefined {
  if (!SHAPE_MARKERS.test(value)) return undefined;
  const shape = CREDENTIAL_SHAPES.find((candidate) => candidate.test(value));
  return shape && { code: "security/secret-pattern", reason: `value looks like ${shape.name}` };
}

// ---------------------------------------------------------------------------------------------
// Rule 3: high-entropy tokens
// ---------------------------------------------------------------------------------------------

/** Shorter random strings are too rarely secrets to justify the false positives. */
export const MIN_TOKEN_LENGTH = 32;
/**
 * Random base64 of 32+ chars scores ~4.5-5.5 bits/char (0.01% of 32-char keys fall below 4.0).
 * Long identifiers score ~3.5-4.3, so they are kept out by shape (NON_SECRET_SHAPES), not entropy.
 */
export const BASE64_ENTROPY_THRESHOLD = 4.0;
/**
 * Hex tops out at 4 bits/char and random 40-char hex averages ~3.7, so 3.5 missed ~5% of random
 * 40-char keys. Hex is never prose; the non-secrets to keep out are repetitive strings
 * (`deadbeef` repeated ≈ 2.3 bits), and 3.0 missed none of 10,000 random 40-char keys.
 */
export const HEX_ENTROPY_THRESHOLD = 3.0;
/** Below 40, hex is more often an MD5/UUID-without-dashes than a key. */
export const MIN_HEX_TOKEN_LENGTH = 40;

/**
 * Identifier heuristics, tuned on 100k random tokens vs. synthetic camelCase/PascalCase names built
 * from MDM words and abbreviations (`custAddrHistSnapshot`): identifiers average long letter runs
 * and few digits, random base64 breaks into runs of ~1-2 characters. Misses ~0.04% of random
 * 32-char base64 while exempting ~99.8% of abbreviation-heavy identifiers.
 */
const WORDY_MEAN_RUN = 3.5;
const WORDY_MAX_DIGIT_RATIO = 0.15;
/** Single-case text has no case boundaries, so require English-like vowels (~35-45%; random ~20%). */
const WORDY_VOWEL_RATIO = 0.28;

const TOKEN_CHARSET_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** One identifier segment with at most one digit group; written to be unambiguous (no backtracking). */
const LOWER_SEGMENT = "(?:[a-z]+(?:[0-9]+[a-z]*)?|[0-9]+[a-z]*)";
const UPPER_SEGMENT = LOWER_SEGMENT.replaceAll("a-z", "A-Z");
const separated = (segment: string): string => `${segment}(?:[-_/]${segment}){2,}`;
const SNAKE_OR_KEBAB_RE = new RegExp(`^(?:${separated(LOWER_SEGMENT)}|${separated(UPPER_SEGMENT)})$`);
const HEX_RE = /^(?:[0-9a-f]+|[0-9A-F]+)$/;

/** Hex in one case with both digits and letters; all-digit strings are numbers, not keys. */
function isPureHex(token: string): boolean {
  return HEX_RE.test(token) && /[0-9]/.test(token) && /[a-fA-F]/.test(token);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...text].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** True for identifiers and paths made of words: `customerLifetimeValue`, `CUSTOMER_LTV_EUR`. */
export function looksLikeWords(text: string): boolean {
  const runs = text.match(WORD_RE) ?? [];
  const meanRun = ratio(
    runs.reduce((sum, run) => sum + run.length, 0),
    runs.length,
  );
  const digitRatio = ratio(text.replace(/[^0-9]/g, "").length, text.length);
  const letters = text.replace(/[^A-Za-z]/g, "");
  const vowelRatio = ratio(letters.replace(/[^aeiouyAEIOUY]/g, "").length, letters.length);
  const mixedCase = /[a-z]/.test(text) && /[A-Z]/.test(text);
  return (
    meanRun >= WORDY_MEAN_RUN &&
    digitRatio <= WORDY_MAX_DIGIT_RATIO &&
    (mixedCase || vowelRatio >= WORDY_VOWEL_RATIO)
  );
}

/**
 * Things that can be long and varied yet are not secrets. Several are also rejected by the token
 * charset; they are listed anyway so widening the charset cannot silently reintroduce them.
 */
export const NON_SECRET_SHAPES: readonly ValueShape[] = [
  { name: "a UUID", test: (v) => /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(v) },
  { name: "a prefixed digest", test: (v) => /^(?:sha1|sha224|sha256|sha384|sha512|md5)[:-]/i.test(v) },
  // URLs with credentials were already reported by the credential shapes.
  { name: "a URL", test: (v) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v) },
  { name: "a JSONPath", test: (v) => /^\$[.[]/.test(v) },
  { name: "a dotted identifier or file name", test: (v) => /^[\w-]+(?:\.[\w-]+)+$/.test(v) },
  // Abbreviated snake/kebab names (`dwh_stg_crm_cust_addr_hist`) fail the vowel test. Segments
  // may hold one digit group (`s4hana`, `iso2`); random segments (`k3j9x0a8`) hold several.
  { name: "a snake-case or kebab-case identifier", test: (v) => SNAKE_OR_KEBAB_RE.test(v) },
  { name: "an identifier or path made of words", test: looksLikeWords },
];

/** Keys whose values are digests or revisions: high-entropy hex by design, and public. */
const DIGEST_KEY_WORDS: ReadonlySet<string> = new Set([
  ...["sha", "digest", "checksum", "hash", "commit", "revision", "rev", "etag", "fingerprint", "thumbprint"],
  "integrity",
]);

function isDigestKey(keyPath: readonly (string | number)[]): boolean {
  const key = lastStringKey(keyPath);
  return key !== undefined && splitWords(key).some((word) => DIGEST_KEY_WORDS.has(word));
}

function entropyThreshold(token: string): number | undefined {
  if (!isPureHex(token)) return BASE64_ENTROPY_THRESHOLD;
  return token.length >= MIN_HEX_TOKEN_LENGTH ? HEX_ENTROPY_THRESHOLD : undefined;
}

/** Whether a value is a single random-looking base64/base64url/hex token. */
export function isHighEntropyToken(value: string): boolean {
  const token = value.trim();
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) return false;
  if (NON_SECRET_SHAPES.some((shape) => shape.test(token))) return false;
  if (!TOKEN_CHARSET_RE.test(token)) return false;
  const threshold = entropyThreshold(token);
  return threshold !== undefined && shannonEntropy(token) >= threshold;
}

function detectByEntropy(keyPath: readonly (string | number)[], value: string): SecretFinding | undefined {
  if (isDigestKey(keyPath) || !isHighEntropyToken(value)) return undefined;
  const length = value.trim().length;
  return {
    code: "security/secret-pattern",
    reason: `value looks like a high-entropy token (${length} characters)`,
  };
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

/**
 * Checks one scalar string. `keyPath` holds the mapping keys from the document root to the
 * scalar (array indexes as numbers). Rules run in order: key name, known shapes, entropy.
 */
export function detectSecret(
  keyPath: readonly (string | number)[],
  value: string,
): SecretFinding | undefined {
  // Nothing to leak, or resolved at runtime from a variable.
  if (isBlank(value) || isInterpolation(value)) return undefined;
  const byKey = detectByKey(keyPath, value);
  // Every credential shape and every high-entropy token is longer than this; most config values are shorter,
  // and skipping the pattern scan for them keeps the walk over thousands of files cheap.
  if (byKey || value.length < MIN_SHAPE_LENGTH) return byKey;
  return detectByShape(value) ?? detectByEntropy(keyPath, value);
}
