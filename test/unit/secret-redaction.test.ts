import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { maskCredentialShapes, redactDiagnostic } from "../../src/lint/secret-redaction.js";
import { SecretMask } from "../../src/util/secret-mask.js";

// Credential-shaped values are assembled at runtime, so this file holds nothing a secret scanner would report.
const join = (...parts: string[]): string => parts.join("");
const github = join("gh", "p_", "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5");
const stripe = join("sk", "_live_", "4eC39HqLyjWDarjtT1zdp7dc");

function finding(overrides: Partial<Diagnostic>): Diagnostic {
  return {
    code: "schema/unknown-property",
    severity: "error",
    message: "m",
    file: "config/x.yaml",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    path: [],
    ...overrides,
  };
}

describe("SecretMask", () => {
  it("masks every occurrence, the longest secret first where two start at one place", () => {
    const mask = new SecretMask(["hunter2", "hunter2hunter2", "abc"]);
    expect(mask.mask("a hunter2hunter2 b hunter2 c abcd")).toBe("a **** b **** c ****d");
    expect(mask.mask("nothing here")).toBe("nothing here");
    expect(mask.size).toBe(3);
  });

  it("ignores blank secrets and masks one-character secrets too", () => {
    const mask = new SecretMask(["", "  ", "x"]);
    expect(mask.size).toBe(1);
    expect(mask.mask("axb")).toBe("a****b");
  });

  it("costs one lookup per character whatever the number of secrets sharing a prefix", () => {
    // 50,000 AWS-style key ids share their first four characters, as a hostile sample file's would.
    const keys = Array.from({ length: 50_000 }, (_, i) => `AK${"IA"}${String(i).padStart(16, "0")}`);
    const mask = new SecretMask(keys);
    const message = `Unknown property "${keys[49_999] ?? ""}" ${"AKIA".repeat(2_000)}`;
    const started = Date.now();
    for (let i = 0; i < 200; i++) expect(mask.mask(message)).toContain('"****"');
    // Replacing each secret in turn would take 200 × 50,000 scans; generous bound for a busy machine.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("maskCredentialShapes", () => {
  it("masks words shaped like credentials and bearer tokens, and nothing else", () => {
    expect(maskCredentialShapes(`Unresolved tag: tag:${github}:foo.`)).toBe("Unresolved tag: ****");
    expect(maskCredentialShapes("Authorization: Bearer abcdefgh12345678")).toBe("Authorization: Bearer ****");
    expect(maskCredentialShapes("url https://ops:Sup3rS3cret@hooks.example.com/x")).toBe("url ****");
    const plain = 'Unknown property "chek" in "validations[0]"; did you mean "check"?';
    expect(maskCredentialShapes(plain)).toBe(plain);
  });
});

describe("redactDiagnostic", () => {
  it("masks a secret key in the path of every finding under it, and in the message and hint", () => {
    const secrets = new SecretMask([stripe]);
    const d = finding({
      message: `Unknown property "nested" in "headers.${stripe}".`,
      hint: `Under ${stripe}`,
      path: ["headers", stripe, "nested", 0],
    });
    const redacted = redactDiagnostic(d, secrets);
    expect(redacted.path).toEqual(["headers", "****", "nested", 0]);
    expect(redacted.message).toBe('Unknown property "nested" in "headers.****".');
    expect(redacted.hint).toBe("Under ****");
    expect(d.path).toEqual(["headers", stripe, "nested", 0]);
  });

  it("masks a credential-shaped key no scan reported", () => {
    const redacted = redactDiagnostic(finding({ path: ["headers", github] }), new SecretMask());
    expect(redacted.path).toEqual(["headers", "****"]);
  });

  it("returns the same finding when there is nothing to mask", () => {
    const d = finding({ path: ["fields", "email"], hint: "fix it" });
    expect(redactDiagnostic(d, new SecretMask(["hunter2hunter2"]))).toBe(d);
  });
});
