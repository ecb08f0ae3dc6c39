import { describe, it, expect } from "vitest";
import {
  CREDENTIAL_SHAPES,
  detectSecret,
  isHighEntropyToken,
  isSecretKey,
  looksLikeWords,
  shannonEntropy,
  splitWords,
  type SecretFinding,
} from "../../src/lint/secret-patterns.js";
import { mulberry32 } from "../../src/util/mulberry32.js";

// Every credential-shaped value is assembled at runtime from harmless pieces, so this file
// contains nothing that a secret scanner would report as a leaked credential.
const join = (...parts: string[]): string => parts.join("");

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomToken(seed: number, alphabet: string, length: number): string {
  const next = mulberry32(seed);
  return Array.from({ length }, () => alphabet.charAt(Math.floor(next() * alphabet.length))).join("");
}

const fake = {
  jwt: join("ey", "JhbGciOiJIUzI1NiJ9", ".", "ey", "JzdWIiOiJjbHVlLXRlc3QifQ", ".", "ZmFrZS1zaWduYXR1cmU"),
  awsKeyId: join("AK", "IA", "IOSFODNN7", "EXAMPLE"),
  awsSessionKeyId: join("AS", "IA", "IOSFODNN7", "EXAMPLE"),
  githubClassic: join("gh", "p_", randomToken(1, ALNUM, 36)),
  githubApp: join("gh", "s_", randomToken(2, ALNUM, 36)),
  githubFineGrained: join("github", "_pat_", "11EXAMPLE0", "_", randomToken(3, ALNUM, 59)),
  slackBot: join("xo", "xb-", "000000000000-", "000000000000-", "EXAMPLEFAKEtoken"),
  slackWebhook: join(
    "https://hooks.",
    "slack.com/services/",
    "T00000000/",
    "B00000000/",
    "EXAMPLEfake0000000000000",
  ),
  stripeSecret: join("sk", "_live_", "EXAMPLE", randomToken(4, ALNUM, 20)),
  stripeRestricted: join("rk", "_live_", "EXAMPLE", randomToken(5, ALNUM, 20)),
  googleApiKey: join("AI", "za", "Sy", "EXAMPLE_fake-", randomToken(6, ALNUM, 20)),
  vaultToken: join("hv", "s.", "CAESI", randomToken(7, BASE64URL, 40)),
  azureStorage: join(
    "DefaultEndpointsProtocol=https;AccountName=examplestore;Account",
    "Key=",
    randomToken(8, BASE64, 86),
    "==;EndpointSuffix=core.windows.net",
  ),
  azureServiceBus: join(
    "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=RootManage;SharedAccess",
    "Key=",
    randomToken(9, BASE64, 43),
    "=",
  ),
  sqlConnection: join(
    "Server=tcp:db.example.com,1433;Database=mdm;User ID=clue;Pass",
    "word=",
    "Hunter2Example;",
  ),
  odbcConnection: join("Driver={ODBC Driver 18};Server=db;Uid=clue;P", "wd=", "Hunter2Example"),
  postgresUrl: join("postgres://clue:", "hunter2example", "@db.example.com:5432/mdm"),
  redisUrl: join("redis://:", "cachepass2example", "@cache.example.com:6379/0"),
  pemRsa: join("-----BEGIN ", "RSA PRIVATE KEY-----\nMIIEexample\n-----END RSA PRIVATE KEY-----"),
  pemPkcs8: join("-----BEGIN ", "PRIVATE KEY-----\nMIIEexample\n-----END PRIVATE KEY-----"),
  pemOpenSsh: join("-----BEGIN ", "OPENSSH PRIVATE KEY-----\nb3BlbnNzaA\n-----END OPENSSH PRIVATE KEY-----"),
  sasUrl: join(
    "https://examplestore.blob.core.windows.net/exports?sv=2022-11-02&ss=b&sp=rl&",
    "sig=",
    "EXAMPLEfake%2Bsig%3D",
  ),
  sasQuery: join("sv=2022-11-02&ss=b&srt=sco&sp=rl&", "sig=", "EXAMPLEfake%2Bsig%3D"),
  queryApiKey: join("https://api.example.com/v1/export?format=csv&api", "_key=", "EXAMPLE1234567"),
  queryAccessToken: join("https://api.example.com/hook?access", "_token=", "EXAMPLE1234567"),
  bearer: join("Bear", "er ", "EXAMPLEtoken", "1234567890abcdef"),
  basic: join("Bas", "ic ", Buffer.from(join("clue", ":", "hunter2example")).toString("base64")),
};

const NEUTRAL_PATH = ["connectors", "export", "settings", "value"] as const;

function expectNoLeak(finding: SecretFinding | undefined, value: string): void {
  expect(finding).toBeDefined();
  const reason = finding?.reason ?? "";
  expect(reason).not.toContain(value);
  for (let i = 0; i + 6 <= value.length; i++) {
    expect(reason, `reason repeats ${JSON.stringify(value.slice(i, i + 6))}`).not.toContain(
      value.slice(i, i + 6),
    );
  }
}

describe("splitWords", () => {
  it.each([
    ["client_secret", ["client", "secret"]],
    ["clientSecret", ["client", "secret"]],
    ["APIKey", ["api", "key"]],
    ["X-API-Key", ["x", "api", "key"]],
    ["smtp.password", ["smtp", "password"]],
    ["OAuth2Token", ["o", "auth", "2", "token"]],
    ["DB_PASSWORD", ["db", "password"]],
  ])("splits %s", (key, words) => {
    expect(splitWords(key)).toEqual(words);
  });
});

describe("isSecretKey", () => {
  it.each([
    "password",
    "db_password",
    "DB_PASSWORD",
    "dbPassword",
    "dbpassword",
    "smtp.password",
    "password_2",
    "passwd",
    "pwd",
    "secret",
    "client_secret",
    "clientSecret",
    "webhook-secret",
    "secrets",
    "token",
    "access_token",
    "refreshToken",
    "auth_token",
    "authToken",
    "sas_token",
    "sas_key",
    "api_key",
    "apiKey",
    "APIKey",
    "apikey",
    "X-API-Key",
    "access_key",
    "aws_secret_access_key",
    "private_key",
    "privateKey",
    "signing_key",
    "credential",
    "credentials",
    "connection_string",
    "connectionString",
    "bearer",
    "bearer_token",
    "passphrase",
  ])("%s is a secret key", (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    // References hold variable names and vault paths.
    "from_env",
    "vault",
    // Metadata about a secret rather than the secret itself.
    "token_type",
    "token_url",
    "token_url_2",
    "token_uri",
    "token_endpoint",
    "tokenEndpoint",
    "secret_ref",
    "secret_name",
    "client_secret_path",
    "password_env",
    "password_file",
    "credentials_file",
    "api_key_header",
    "token_ttl",
    "token_expiry",
    "token_expires",
    "password_policy",
    "password_column",
    // Not secrets at all.
    "key",
    "business_key",
    "primary_key",
    "client_id",
    "username",
    "max_tokens",
    "tokenizer",
    "secretary",
    "passport_number",
    "description",
    "",
  ])("%s is not a secret key", (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe("detectSecret: secret-looking keys", () => {
  it("reports a literal under a secret key and names the key", () => {
    expect(detectSecret(["connectors", "teams", "client_secret"], "changeme")).toEqual({
      code: "security/literal-secret",
      reason: 'key "client_secret" holds a literal value',
    });
  });

  it.each<[string, readonly (string | number)[], string]>([
    ["placeholder-looking passwords are still literals", ["db", "password"], "changeme"],
    ["redaction markers are still literals", ["db", "password"], "<redacted>"],
    ["a short literal", ["smtp", "pwd"], "hunter2"],
    ["an item in a list under a secret key", ["db", "passwords", 0], "rotateme-first"],
    ["trailing array indexes are skipped", ["ingest", "api_keys", 2], "first-key-value"],
    ["a camelCase key", ["auth", "accessToken"], "opaque-session-value"],
    ["a partial interpolation", ["auth", "token"], "prefix-${env.TOKEN}"],
    ["an interpolation of an unknown namespace", ["auth", "token"], "${secrets.TOKEN}"],
  ])("%s", (_label, keyPath, value) => {
    expect(detectSecret(keyPath, value)?.code).toBe("security/literal-secret");
  });

  it.each<[string, readonly (string | number)[], string]>([
    ["a from_env reference", ["connectors", "teams", "client_secret", "from_env"], "TEAMS_HOOK_SECRET"],
    ["a vault reference", ["connectors", "teams", "client_secret", "vault"], "kv/teams#hook_secret"],
    ["anything under a reference key", ["db", "vault", "password"], "prod-db"],
    ["an empty value", ["db", "password"], ""],
    ["a whitespace-only value", ["db", "password"], "   "],
    ["a var interpolation", ["db", "password"], "${var.db_password}"],
    ["an env interpolation", ["db", "password"], "${env.DB_PASSWORD}"],
    ["a padded interpolation", ["db", "password"], " ${ env.DB_PASSWORD } "],
    ["a metadata key", ["auth", "token_url"], "https://login.example.com/oauth2/v2.0/token"],
    ["a token type", ["auth", "token_type"], "bearer"],
    ["a secret name", ["auth", "secret_name"], "teams-hook-secret"],
    ["a non-secret key", ["entities", "customer", "key"], "customer_id"],
    ["a scalar with no key", [], "changeme"],
    ["a scalar under array indexes only", [0, 1], "changeme"],
  ])("ignores %s", (_label, keyPath, value) => {
    expect(detectSecret(keyPath, value)).toBeUndefined();
  });

  it("does not name the key when the key repeats part of the value", () => {
    expect(detectSecret(["password"], "Password123")).toEqual({
      code: "security/literal-secret",
      reason: "a secret-looking key holds a literal value",
    });
  });
});

describe("detectSecret: known credential shapes", () => {
  it.each<[string, string]>([
    ["a JSON Web Token", fake.jwt],
    ["a JSON Web Token", join("Bearer ", fake.jwt)],
    ["an AWS access key id", fake.awsKeyId],
    ["an AWS access key id", fake.awsSessionKeyId],
    ["a GitHub token", fake.githubClassic],
    ["a GitHub token", fake.githubApp],
    ["a GitHub token", fake.githubFineGrained],
    ["a Slack token", fake.slackBot],
    ["a Slack webhook URL", fake.slackWebhook],
    ["a Stripe live key", fake.stripeSecret],
    ["a Stripe live key", fake.stripeRestricted],
    ["a Google API key", fake.googleApiKey],
    ["a HashiCorp Vault token", fake.vaultToken],
    ["an Azure connection string with a shared key", fake.azureStorage],
    ["an Azure connection string with a shared key", fake.azureServiceBus],
    ["a connection string with an embedded credential", fake.sqlConnection],
    ["a connection string with an embedded credential", fake.odbcConnection],
    ["a URL with embedded credentials", fake.postgresUrl],
    ["a URL with embedded credentials", fake.redisUrl],
    ["a PEM private key", fake.pemRsa],
    ["a PEM private key", fake.pemPkcs8],
    ["a PEM private key", fake.pemOpenSsh],
    ["an Azure SAS token", fake.sasUrl],
    ["an Azure SAS token", fake.sasQuery],
    ["a URL with a credential in its query string", fake.queryApiKey],
    ["a URL with a credential in its query string", fake.queryAccessToken],
    ["an HTTP authorization token", fake.bearer],
    ["an HTTP basic-auth credential", fake.basic],
  ])("case %# is reported as %s", (shape, value) => {
    expect(detectSecret(NEUTRAL_PATH, value)).toEqual({
      code: "security/secret-pattern",
      reason: `value looks like ${shape}`,
    });
  });

  it("finds a credential embedded in a longer string", () => {
    expect(detectSecret(["headers", "x-custom"], join("prefix ", fake.awsKeyId, " suffix"))?.reason).toBe(
      "value looks like an AWS access key id",
    );
  });

  it("every registered shape has a noun-phrase name", () => {
    for (const shape of CREDENTIAL_SHAPES) expect(shape.name).toMatch(/^an? /);
  });

  it.each<[string, string]>([
    ["a URL without credentials", "postgres://db.example.com:5432/mdm"],
    ["a URL with a user but no password", "https://clue@git.example.com/config.git"],
    ["a URL whose password is an interpolation", "postgres://clue:${env.DB_PASSWORD}@db.example.com/mdm"],
    [
      "a connection string with an interpolated password",
      "Server=db;User ID=clue;Password=${env.DB_PASSWORD};",
    ],
    ["a connection string with an empty password", "Server=db;User ID=clue;Password=;"],
    ["prose about bearer auth", "Bearer authentication is required for the export API"],
    ["prose about basic auth", "Basic authentication is disabled"],
    ["a public certificate", "-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----"],
    ["a public key", "-----BEGIN PUBLIC KEY-----\nMIIBexample\n-----END PUBLIC KEY-----"],
    ["a metadata query parameter", "https://login.example.com/token?token_type=bearer&grant_type=client"],
    ["an interpolated query parameter", "https://api.example.com/x?api_key=${env.EXPORT_API_KEY}"],
    ["a JSONPath filter on a token field", "$..sessions[?(@.token=='active')].id"],
    ["a too-short AWS-like id", join("AK", "IA", "1234")],
    ["a word starting with eyJ", "eyJust.kidding.x"],
  ])("ignores %s", (_label, value) => {
    expect(detectSecret(NEUTRAL_PATH, value)).toBeUndefined();
  });
});

describe("detectSecret: high-entropy tokens", () => {
  const seeds = Array.from({ length: 40 }, (_, i) => i + 100);
  const cases: [string, (seed: number) => string][] = [
    ["random 32-char base64", (seed) => randomToken(seed, BASE64, 32)],
    ["random 40-char base64", (seed) => randomToken(seed, BASE64, 40)],
    ["random 43-char base64url", (seed) => randomToken(seed, BASE64URL, 43)],
    ["random 40-char hex", (seed) => randomToken(seed, HEX, 40)],
    ["random 64-char hex", (seed) => randomToken(seed, HEX, 64)],
    ["random 64-char uppercase hex", (seed) => randomToken(seed, HEX, 64).toUpperCase()],
    ["an 88-char Azure account key", (seed) => join(randomToken(seed, BASE64, 86), "==")],
  ];

  it.each(cases)("reports %s", (_label, make) => {
    for (const seed of seeds) {
      const value = make(seed);
      expect(detectSecret(NEUTRAL_PATH, value), value).toEqual({
        code: "security/secret-pattern",
        reason: `value looks like a high-entropy token (${value.length} characters)`,
      });
    }
  });

  it("measures length after trimming", () => {
    const value = randomToken(7, BASE64, 40);
    expect(detectSecret(NEUTRAL_PATH, ` ${value}\n`)?.reason).toBe(
      "value looks like a high-entropy token (40 characters)",
    );
  });

  it.each<[string, string]>([
    ["a snake_case field name", "customer_lifetime_value_eur_rounded"],
    ["a long snake_case field name", "customer_lifetime_value_eur_rounded_total_amount_v2"],
    ["an abbreviated snake_case name", "dwh_stg_crm_cust_addr_hist_snapshot"],
    ["a SCREAMING_SNAKE name", "CUSTOMER_LIFETIME_VALUE_EUR_ROUNDED"],
    ["a camelCase name", "customerLifetimeValueEurRoundedTotal"],
    ["a PascalCase entity name", "MasterDataCustomerGoldenRecordEntity"],
    ["an abbreviated PascalCase name", "DwhStgCrmCustAddrHistSnapshotTbl"],
    ["a kebab-case name with digits", "erp-sap-s4hana-prod-eu-west-1-cluster"],
    ["a short kebab-case name", "analytics-warehouse-test"],
    ["an email regex", "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"],
    ["an expression", 'to_e164(phone, default_country="AU")'],
    ["a URL", "https://example.com/hooks/export"],
    [
      "a long URL",
      "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
    ],
    ["an ISO datetime", "2024-05-01T10:15:30.000+10:00"],
    ["an email", "data.steward@example.com"],
    ["a UUID", "3f2b8c4e-9a1d-4e7b-8c2f-5d6e7a8b9c0d"],
    ["a sha256 digest", join("sha256:", randomToken(11, HEX, 64))],
    ["an SRI hash", join("sha512-", randomToken(12, BASE64, 86), "==")],
    ["a relative file path", "config/mappings/customer_master_golden_record.yaml"],
    ["a path made of words", "customers/golden-records/daily-export/latest"],
    ["an absolute path", "/var/lib/clue/exports/customer_snapshots"],
    ["a JSONPath", "$.customer.addresses[0].postcode"],
    ["a cron expression", "0 */6 * * 1-5"],
    ["a dotted identifier", "com.example.mdm.customer.golden_record.v2"],
    ["a sentence", "Customer lifetime value in EUR, rounded to the nearest whole euro"],
    ["a 40-digit number", "1234567890123456789012345678901234567890"],
    ["a 32-char hex string (below the hex length floor)", randomToken(13, HEX, 32)],
    ["repetitive hex", "deadbeef00".repeat(5)],
  ])("ignores %s", (_label, value) => {
    expect(detectSecret(NEUTRAL_PATH, value)).toBeUndefined();
  });

  it.each(["commit", "commit_sha", "source_rev", "checksum", "image_digest", "etag"])(
    "ignores hex under a digest key (%s)",
    (key) => {
      expect(detectSecret(["source", key], randomToken(14, HEX, 40))).toBeUndefined();
    },
  );

  it("keeps identifiers and random tokens apart", () => {
    expect(looksLikeWords("customerLifetimeValueEurRoundedTotal")).toBe(true);
    expect(looksLikeWords(randomToken(15, BASE64, 40))).toBe(false);
    expect(isHighEntropyToken(randomToken(15, BASE64, 40))).toBe(true);
  });

  it("computes Shannon entropy in bits per character", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abab")).toBe(1);
    expect(shannonEntropy(HEX)).toBe(4);
    expect(shannonEntropy(BASE64)).toBe(6);
  });
});

describe("detectSecret: rule order", () => {
  it("reports a secret key before the shape of its value", () => {
    expect(detectSecret(["auth", "client_secret"], fake.jwt)?.code).toBe("security/literal-secret");
  });

  it("reports a known shape before entropy", () => {
    expect(detectSecret(NEUTRAL_PATH, fake.githubClassic)?.reason).toBe("value looks like a GitHub token");
  });

  it("still reports a credential pasted where a reference name belongs", () => {
    expect(detectSecret(["teams", "client_secret", "from_env"], fake.githubClassic)?.reason).toBe(
      "value looks like a GitHub token",
    );
  });
});

describe("reasons never leak the value", () => {
  const byKey: [readonly (string | number)[], string][] = [
    [["db", "password"], "changeme"],
    [["db", "password"], "Password123"],
    [["connectors", "teams", "client_secret"], "hunter2-example-value"],
    [["auth", "token"], "prefix-${env.TOKEN}"],
    [["auth", "client_secret"], fake.jwt],
  ];
  const byShape = Object.values(fake).map((value): [readonly (string | number)[], string] => [
    NEUTRAL_PATH,
    value,
  ]);
  const byEntropy: [readonly (string | number)[], string][] = [
    [NEUTRAL_PATH, randomToken(21, BASE64, 40)],
    [NEUTRAL_PATH, randomToken(22, HEX, 64)],
    [NEUTRAL_PATH, join(randomToken(23, BASE64, 86), "==")],
  ];

  // Titles use the index only: test names end up in CI logs too.
  it.each([...byKey, ...byShape, ...byEntropy])("case %#", (keyPath, value) => {
    expectNoLeak(detectSecret(keyPath, value), value);
  });
});
