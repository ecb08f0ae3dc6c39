import { describe, expect, it } from "vitest";
import { parseClient, TokenIssuer, type Client } from "../../src/serve/auth.js";
import { faultPlan, rateLimiter } from "../../src/serve/faults.js";

describe("parseClient", () => {
  it.each([
    ["ci:s3cret", { id: "ci", secret: "s3cret", scopes: ["config:read", "config:write"] }],
    ["ro:s3cret:config:read", { id: "ro", secret: "s3cret", scopes: ["config:read"] }],
    [
      "rw:s3cret:config:read+config:write",
      { id: "rw", secret: "s3cret", scopes: ["config:read", "config:write"] },
    ],
    [
      "rw:s3cret:config:write config:read",
      { id: "rw", secret: "s3cret", scopes: ["config:write", "config:read"] },
    ],
    // Breaking other clients' locks is only ever granted by name, never by default.
    [
      "ops:s3cret:config:read+config:write+locks:force",
      { id: "ops", secret: "s3cret", scopes: ["config:read", "config:write", "locks:force"] },
    ],
  ])("%s", (text, client) => {
    expect(parseClient(text, "--client #1")).toEqual(client);
  });

  it.each(["ci", "ci:", "bad id:x", "ci:s3cret:config:admin"])(
    "refuses %s without echoing its secret",
    (text) => {
      const parsed = parseClient(text, "--client #1");
      expect(parsed).toHaveProperty("problem");
      expect((parsed as { problem: string }).problem).not.toContain("s3cret");
    },
  );
});

describe("TokenIssuer", () => {
  const client: Client = { id: "ci", secret: "s3cret", scopes: ["config:read", "config:write"] };

  it("authenticates by secret and expires tokens after the TTL", () => {
    let now = 1_000_000;
    const tokens = new TokenIssuer([client], 60, () => now);
    expect(tokens.authenticate("ci", "wrong")).toBeUndefined();
    expect(tokens.authenticate("nobody", "s3cret")).toBeUndefined();
    const authenticated = tokens.authenticate("ci", "s3cret") as Client;
    const issued = tokens.issue(authenticated, ["config:read"]);
    expect(issued).toMatchObject({ expires_in: 60, scope: "config:read" });
    expect(tokens.verify(issued.access_token)).toEqual({ clientId: "ci", scopes: ["config:read"] });
    expect(tokens.verify("made-up")).toBeUndefined();
    now += 60_000;
    expect(tokens.verify(issued.access_token)).toBe("expired");
  });
});

describe("faults", () => {
  it("draws the same failures for the same seed, about the rate asked for, before and after", () => {
    const draw = (seed: number) => Array.from({ length: 1000 }, faultPlan(0.3, seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    const failures = draw(7).filter((f) => f !== "none");
    expect(failures.length).toBeGreaterThan(240);
    expect(failures.length).toBeLessThan(360);
    expect(new Set(failures)).toEqual(new Set(["before", "after"]));
    expect(Array.from({ length: 100 }, faultPlan(0, 1)).every((f) => f === "none")).toBe(true);
  });

  it("lets a burst of N through per client, then asks to wait", () => {
    let now = 0;
    const limit = rateLimiter(2, () => now);
    expect([limit("a"), limit("a"), limit("b")]).toEqual([0, 0, 0]);
    expect(limit("a")).toBe(1);
    now += 500;
    expect(limit("a")).toBe(0);
  });
});
