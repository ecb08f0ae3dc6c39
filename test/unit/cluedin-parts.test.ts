import { describe, expect, it } from "vitest";
import { enumFromRest, enumToInt, REST_ENUMS } from "../../src/cluedin/enums.js";
import { fromDotnet, toDotnet } from "../../src/cluedin/dotnet-regex.js";
import { readMarker, stripMarker, withMarker } from "../../src/cluedin/marker.js";
import { parseFx, printFx } from "../../src/cluedin/powerfx-syntax.js";
import { FX_FUNCTIONS, fromPowerFx, toPowerFx, type FieldContext } from "../../src/cluedin/powerfx.js";
import { parse } from "../../src/expr/parser.js";

const fields: FieldContext = {
  key: (f) => `person.${f}`,
  type: (f) => ({ name: "string", age: "integer", born: "date" })[f as "name"] as "string" | undefined,
};
const fx = (text: string) => {
  const parsed = parse(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const result = toPowerFx(parsed.node, fields);
  return result.ok ? printFx(result.fx) : `unsupported: ${result.reason}`;
};
const NAME = 'GetVocabularyKeyValue(Entity, "person.name")';

describe("Power Fx translation", () => {
  it.each([
    ["lower(name)", `Lower(${NAME})`],
    ["upper(name)", `Upper(${NAME})`],
    ["trim(name)", `TrimEnds(${NAME})`],
    ["collapse_whitespace(name)", `Trim(${NAME})`],
    ["title_case(name)", `Proper(${NAME})`],
    ["length(name)", `Len(${NAME})`],
    ['replace(name, "a", "b")', `Substitute(${NAME}, "a", "b")`],
    ['concat(name, " x")', `Concatenate(${NAME}, " x")`],
    ["abs(age)", `Abs(Value(GetVocabularyKeyValue(Entity, "person.age")))`],
    ["age % 2 == 1", `Mod(Value(GetVocabularyKeyValue(Entity, "person.age")), 2) = 1`],
    ['name not in ["a", "b"]', `Not(${NAME} exactin ["a", "b"])`],
    [
      'born > to_date("1900-01-01")',
      `DateTimeValue(GetVocabularyKeyValue(Entity, "person.born")) > DateValue("1900-01-01")`,
    ],
    ['sha256(name) == "x"', "unsupported: sha256() has no faithful Power Fx equivalent"],
  ])("%s → %s", (clue, expected) => {
    expect(fx(clue)).toBe(expected);
  });

  it("has a translation for every function in its table, and reads each back", () => {
    for (const [clue, f] of Object.entries(FX_FUNCTIONS)) {
      const back = fromPowerFx(parseFx(`${f.fx}(${NAME}, "a", "b")`)!, (k) => k.slice("person.".length));
      expect(back).toBe(`${clue}(name, "a", "b")`);
    }
  });

  it("parses what it prints", () => {
    const text = `And(Not(IsBlank(${NAME})), Len(${NAME}) - 1 >= 2 * (3 + 4))`;
    expect(printFx(parseFx(text)!)).toBe(text);
    expect(parseFx("Lower(")).toBeUndefined();
  });
});

describe(".NET patterns", () => {
  it("spells out what JavaScript means by \\d, \\w, \\b, . and $", () => {
    expect(toDotnet("^\\d+\\w$").pattern).toBe("^[0-9]+[a-zA-Z0-9_]\\z");
    expect(toDotnet("a.b").pattern).toBe("a[^\\n\\r\\u2028\\u2029]b");
    expect(toDotnet("\\bx").pattern).toContain("(?<=[a-zA-Z0-9_])");
    expect(toDotnet("\\u{41}").pattern).toBe("\\u0041");
    expect(toDotnet("\\p{Lu}").approximations).toEqual([]);
  });

  it("reads a translated pattern back to one that translates to the same text", () => {
    for (const p of ["^[^@\\s]+@x\\.y$", "a\\$b$", "\\bword\\B", "[\\d\\w]."]) {
      const dotnet = toDotnet(p).pattern;
      expect(toDotnet(fromDotnet(dotnet)).pattern).toBe(dotnet);
    }
  });
});

describe("the ownership marker", () => {
  const marker = { resource: "validations/email_regex", specHash: "0123456789abcdef0123456789abcdef" };
  it("is the description's last line, replaced rather than stacked, and stripped back off", () => {
    const text = withMarker("Flags bad emails.", marker);
    expect(text).toBe(
      "Flags bad emails.\n[clue] managed resource=validations/email_regex spec-hash=0123456789abcdef0123456789abcdef",
    );
    expect(readMarker(text)).toEqual(marker);
    expect(withMarker(text, { ...marker, specHash: "f".repeat(32) }).split("\n")).toHaveLength(2);
    expect(stripMarker(text)).toBe("Flags bad emails.");
    expect(stripMarker(withMarker("", marker))).toBe("");
    expect(readMarker("Someone else's rule")).toBeUndefined();
    expect(stripMarker("Someone else's rule")).toBe("Someone else's rule");
  });
});

describe("REST enums", () => {
  it("maps names to integers and back, accepting names from servers that send them", () => {
    expect(enumToInt("ProcessingRuleScope", "Survivorship")).toBe(2);
    expect(enumFromRest("StreamMode", 1)).toBe("EventStream");
    expect(enumFromRest("StreamMode", "sync")).toBe("Sync");
    expect(enumFromRest("StreamMode", 7)).toBeUndefined();
    expect(REST_ENUMS.VocabularyKeyDataType.names).toHaveLength(28);
    expect(Object.values(REST_ENUMS).every((e) => e.inferred)).toBe(true);
  });
});
