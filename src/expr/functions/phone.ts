/**
 * Phone numbers, via libphonenumber-js and its "max" metadata (src/phone/metadata.ts says why): digits are checked
 * against each country's numbering plan, so that "+49 10 12345678" (a German number of the right length in an
 * unassigned range) is rejected. src/phone/ parses each distinct value once per run.
 */
import { isPhoneCountry, parsePhone, type ValidPhone } from "../../phone/parse.js";
import type { FunctionDef, ParamDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asText } from "./coerce.js";
import { TEXT } from "./define.js";

const DEFAULT_COUNTRY: ParamDef = {
  name: "default_country",
  type: "string",
  optional: true,
  description: 'ISO 3166 alpha-2 code (e.g. "AU") for numbers written without a country code.',
};

/**
 * The number when it is valid. `isValid()`, not `isPossible()`: matching and deduplication key on the E.164 form,
 * and a merely possible number ("+61 123 456 789", right length, no such range) would group unrelated records.
 * An unknown default_country gives null rather than being ignored, so a typo like "UK" (it is "GB") shows up.
 */
function parseValid(value: Value | undefined, country: Value | undefined): ValidPhone | null {
  const text = asText(value);
  const code = country === undefined ? undefined : asText(country)?.trim().toUpperCase();
  if (text === null || code === null) return null;
  if (code !== undefined && !isPhoneCountry(code)) return null;
  return parsePhone(text, code);
}

const toE164 = (name: string, description: string): FunctionDef => ({
  name,
  description,
  params: [TEXT, DEFAULT_COUNTRY],
  returns: "string",
  examples: [
    { expr: `${name}("0412 345 678", default_country="AU")`, result: "+61412345678" },
    { expr: `${name}("+61 2 9374 4000")`, result: "+61293744000" },
    { expr: `${name}("020 7946 0958", "GB")`, result: "+442079460958" },
    { expr: `${name}("123", default_country="AU")`, result: null },
  ],
  call: ([value, country]) => parseValid(value, country)?.number ?? null,
});

export const phoneFunctions: readonly FunctionDef[] = [
  toE164(
    "to_e164",
    "A valid phone number in E.164 form (+61412345678); invalid, impossible or unparsable numbers give null.",
  ),
  toE164("e164", "Alias of to_e164."),
  {
    name: "phone_country",
    description:
      "The ISO 3166 alpha-2 country of a valid phone number; null when invalid or when the number is shared and unresolved.",
    params: [TEXT, DEFAULT_COUNTRY],
    returns: "string",
    examples: [
      { expr: 'phone_country("+44 20 7946 0958")', result: "GB" },
      { expr: 'phone_country("0412 345 678", default_country="AU")', result: "AU" },
      { expr: 'phone_country("0412 345 678")', result: null },
    ],
    call: ([value, country]) => parseValid(value, country)?.country ?? null,
  },
];
