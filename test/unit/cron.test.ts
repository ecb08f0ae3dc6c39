import { describe, expect, it } from "vitest";
import { checkCron } from "../../src/lint/cron.js";

describe("checkCron", () => {
  it.each([
    "* * * * *",
    "0 0 * * 0",
    "*/15 9-17 * * MON-FRI",
    "0 0 1 jan,jul *",
    "0 12 1-31/2 * sun",
    "5,10,15-20 0-23/6 1 DEC 1-5",
    "0 0 * * 7",
    "  0\t0  *  *  *  ",
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@HOURLY",
  ])("accepts %j", (expr) => {
    expect(checkCron(expr)).toBeUndefined();
  });

  it.each([
    ["", "empty expression", 0, 0],
    ["   ", "empty expression", 0, 3],
    ["0 0 * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6", 0, 11],
    [" 0 0 * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4", 1, 7],
    ["60 * * * *", "minute value 60 is out of range 0-59", 0, 2],
    ["0 24 * * *", "hour value 24 is out of range 0-23", 2, 2],
    ["* * 0 * *", "day-of-month value 0 is out of range 1-31", 4, 1],
    ["* * * 13 *", "month value 13 is out of range 1-12", 6, 2],
    ["* * * * 8", "day-of-week value 8 is out of range 0-7", 8, 1],
    ["10-5 * * * *", "range 10-5 is reversed", 0, 4],
    ["0 0 * * FRI-SUN", "range FRI-SUN is reversed", 8, 7],
    ["*/0 * * * *", "step 0 is not allowed", 2, 1],
    ["*/60 * * * *", "step 60 is larger than the minute range 0-59", 2, 2],
    ["*/x * * * *", 'step "x" in minute field is not a number', 2, 1],
    ["5/15 * * * *", 'step needs "*" or a range before "/", e.g. "*/15" or "5-59/15"', 0, 4],
    ["0 0 1 JNA *", 'unknown month name "JNA"', 6, 3],
    ["0 0 * * MONDAY", 'unknown day name "MONDAY"', 8, 6],
    ["0 0 * MON *", 'unknown month name "MON"', 6, 3],
    ["a * * * *", 'minute value "a" is not a number', 0, 1],
    ["1x * * * *", 'invalid minute value "1x"', 0, 2],
    ["0 0 ? * *", '"?" is Quartz syntax; standard cron uses "*"', 4, 1],
    ["5- * * * *", 'incomplete range "5-" in minute field', 0, 2],
    ["1,,2 * * * *", "empty list item in minute field", 1, 1],
    [",1 * * * *", "empty list item in minute field", 0, 1],
    ["0 1,2,99 * * *", "hour value 99 is out of range 0-23", 6, 2],
    [
      "@reboot",
      'unknown macro "@reboot" (expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)',
      0,
      7,
    ],
    ["@daily 0 5", 'macro "@daily" must be the whole expression', 7, 3],
  ])("rejects %j", (expr, message, offset, length) => {
    expect(checkCron(expr)).toEqual({ message, offset, length });
  });

  it("reports the first problem from left to right", () => {
    expect(checkCron("60 24 * * *")?.message).toBe("minute value 60 is out of range 0-59");
  });
});
