import { describe, expect, it } from "vitest";
import { splitArgs } from "../../tools/action/split-args.mjs";

describe("splitArgs (the action's args input)", () => {
  it("splits at any whitespace and drops empty words", () => {
    expect(splitArgs("  --from test\n--lock-wait\t30 ")).toEqual(["--from", "test", "--lock-wait", "30"]);
    expect(splitArgs("")).toEqual([]);
  });

  it("keeps quoted text together, and an empty quoted word", () => {
    expect(splitArgs(`--reason "hotfix: the window's closed" --x '' --y 'a "b"'`)).toEqual([
      "--reason",
      "hotfix: the window's closed",
      "--x",
      "",
      "--y",
      'a "b"',
    ]);
    expect(splitArgs(`--base=origin/"main"`)).toEqual(["--base=origin/main"]);
  });

  it("never expands: $VAR, $(…), globs and ~ arrive as typed", () => {
    expect(splitArgs(`$HOME "$(rm -rf /)" * ~ '\`id\`'`)).toEqual(["$HOME", "$(rm -rf /)", "*", "~", "`id`"]);
  });

  it("honours backslash escapes and line continuations like a shell", () => {
    expect(splitArgs(`a\\ b "c\\"d" 'e\\f' g\\\nh`)).toEqual(["a b", 'c"d', "e\\f", "gh"]);
  });

  it("refuses an unterminated quote", () => {
    expect(() => splitArgs(`--reason "oops`)).toThrow(/unterminated " quote/);
  });
});
