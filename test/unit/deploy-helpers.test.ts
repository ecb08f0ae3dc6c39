import { describe, expect, it } from "vitest";
import { windowState } from "../../src/deploy/window.js";
import { backoffMs, joinUrl, retryAfterMs } from "../../src/target/http-client.js";
import { diffValues } from "../../src/deploy/plan.js";

describe("change windows", () => {
  const weekdays = { days: ["Tue", "Wed", "Thu"], from: "09:00", to: "16:00", timezone: "Australia/Sydney" };
  it("opens from `from` (inclusive) to `to` (exclusive) on the listed days, in the window's time zone", () => {
    // 2026-11-24 is a Tuesday; Sydney is UTC+11 in November.
    expect(windowState(weekdays, new Date("2026-11-23T22:00:00Z"))).toEqual({
      open: true,
      local: "Tue 09:00 Australia/Sydney",
    });
    expect(windowState(weekdays, new Date("2026-11-23T21:59:00Z")).open).toBe(false);
    expect(windowState(weekdays, new Date("2026-11-24T05:00:00Z"))).toEqual({
      open: false,
      local: "Tue 16:00 Australia/Sydney",
    });
    expect(windowState(weekdays, new Date("2026-11-28T01:00:00Z")).open).toBe(false);
  });

  it("runs overnight when `to` is before `from`: open late on a listed day and early the next morning", () => {
    const night = { days: ["Fri"], from: "22:00", to: "02:00", timezone: "UTC" };
    expect(windowState(night, new Date("2026-11-27T23:30:00Z")).open).toBe(true); // Fri 23:30
    expect(windowState(night, new Date("2026-11-28T01:59:00Z")).open).toBe(true); // Sat 01:59
    expect(windowState(night, new Date("2026-11-28T02:00:00Z")).open).toBe(false);
    expect(windowState(night, new Date("2026-11-27T01:00:00Z")).open).toBe(false); // Fri 01:00: Thursday's night
  });
});

describe("the HTTP client's arithmetic", () => {
  it("backs off as min(30 s, 250 ms × 2^attempt) plus up to 200 ms of jitter", () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(3, () => 0.999)).toBe(2000 + 199);
    expect(backoffMs(20, () => 0)).toBe(30_000);
  });

  it("reads Retry-After as seconds or an HTTP date, capped at a minute", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:10 GMT", Date.parse("2026-01-01T00:00:00Z"))).toBe(10_000);
    expect(retryAfterMs("600")).toBe(60_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
  });

  it("keeps the base URL's path", () => {
    expect(joinUrl("https://h.example/mdm/", "/api/me")).toBe("https://h.example/mdm/api/me");
    expect(joinUrl("https://h.example", "/oauth/token")).toBe("https://h.example/oauth/token");
  });
});

describe("field-level diffs", () => {
  it("pairs named array elements by name, so an inserted step is one addition", () => {
    const before = {
      steps: [
        { name: "a", value: "x" },
        { name: "b", value: "y" },
      ],
    };
    const after = {
      steps: [
        { name: "a", value: "x" },
        { name: "new", value: "z" },
        { name: "b", value: "y2" },
      ],
    };
    expect(diffValues(before, after, "", (_p, v) => v)).toEqual([
      { path: "steps[b].value", op: "change", before: "y", after: "y2" },
      { path: "steps[new]", op: "add", after: { name: "new", value: "z" } },
    ]);
  });
});
