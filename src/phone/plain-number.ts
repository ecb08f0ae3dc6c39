/**
 * The fast path of phone parsing: libphonenumber-js's parse + isValid, step for step, for *plain* input — ASCII
 * digits with spaces, dashes, dots, slashes or brackets between them and at most a leading `+` — which is what
 * nearly every value in a CRM is ("+61412345678", "0412 345 678", "(02) 9374 4000"). Each step below names the
 * library function it follows (libphonenumber-js/source/...), so the two can be read side by side; the only
 * difference is that patterns are compiled once (numbering-plans.ts) instead of on every test.
 *
 * Anything else (letters, an extension, another script's digits, a `tel:` URI, a non-geographic calling code such
 * as +800) is not plain: parsePlainNumber says so with undefined and the caller asks the library. A property test
 * (test/unit/phone-fast-path.test.ts) holds this path to the library's answers on numbers of every country.
 */
import { hasNumberType, type NumberingPlan, type NumberingPlans } from "./numbering-plans.js";

/** A valid number: its E.164 form, and its country when the calling code's plans tell which. */
export interface ValidPhone {
  number: string;
  country: string | undefined;
}

/** parse.js: longer input is not parsed at all. */
const MAX_INPUT_LENGTH = 250;
/** constants.js MIN_LENGTH_FOR_NSN and MAX_LENGTH_FOR_NSN: a national number's length bounds. */
const MIN_NATIONAL = 2;
const MAX_NATIONAL = 17;
const MAX_CALLING_CODE = 3;

/**
 * The valid number written in `text` (null when it is not valid), as the library's parsePhoneNumberFromString(text,
 * defaultCountry)?.isValid() decides it; undefined when the text is not plain, so only the library can tell. The
 * default country must be one the metadata has (or undefined).
 */
export function parsePlainNumber(
  text: string,
  defaultCountry: string | undefined,
  plans: NumberingPlans,
): ValidPhone | null | undefined {
  const digits = plainDigits(text);
  if (digits === undefined) return undefined;
  return digits.charCodeAt(0) === PLUS
    ? international(digits, plans)
    : national(digits, defaultCountry, plans);
}

const PLUS = 43;

/**
 * The digits of plain text, with its leading `+`: what the library's extractFormattedPhoneNumber and
 * parseIncompletePhoneNumber make of it. Undefined when the text is not plain, or has fewer than three digits
 * (the library's viability test then has cases of its own).
 */
function plainDigits(text: string): string | undefined {
  if (text.length > MAX_INPUT_LENGTH) return undefined;
  // Runs of digits are sliced out whole ("0412 345 678" is three slices), not copied a character at a time.
  let digits = "";
  let count = 0;
  let plus = false;
  let run = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (run === -1) run = i;
      count++;
      continue;
    }
    if (run !== -1) {
      digits += text.slice(run, i);
      run = -1;
    }
    if (c === PLUS) {
      if (plus || count > 0) return undefined;
      plus = true;
    } else if (!(c === 32 || c === 45 || c === 40 || c === 41 || c === 46 || c === 47)) return undefined;
  }
  if (run !== -1) digits = run === 0 ? text : digits + text.slice(run);
  if (count < 3) return undefined;
  return plus ? `+${digits}` : digits;
}

/** "+..." (helpers/extractCountryCallingCode.js, international part, then parse.js). */
function international(number: string, plans: NumberingPlans): ValidPhone | null | undefined {
  // Calling codes do not begin with 0.
  if (number[1] === "0") return null;
  for (let i = 2; i - 1 <= MAX_CALLING_CODE && i <= number.length; i++) {
    const callingCode = number.slice(1, i);
    if (!plans.hasCallingCode(callingCode)) continue;
    const countries = plans.countriesOf(callingCode);
    // A non-geographic code (+800, +881, ...) has a plan of its own: left to the library.
    if (countries === undefined) return undefined;
    return complete(callingCode, number.slice(i), undefined, plans.of(countries[0] as string), plans);
  }
  return null;
}

/** Digits without a `+` (extractCountryCallingCode.js, national part, then parse.js's parsePhoneNumber). */
function national(
  number: string,
  defaultCountry: string | undefined,
  plans: NumberingPlans,
): ValidPhone | null | undefined {
  // Neither a calling code nor a default country: no numbering plan to read the number by.
  if (defaultCountry === undefined) return null;
  const plan = plans.of(defaultCountry);
  // stripIddPrefix.js: "0011 61 412 345 678" dialled from Australia is international; a 0 after the prefix says
  // it was not an international prefix after all.
  if (number.search(plan.idd) === 0) {
    const after = number.slice((plan.idd.exec(number) as RegExpExecArray)[0].length);
    if (after !== "" && after !== number && after[0] !== "0") return international(`+${after}`, plans);
  }
  // extractCountryCallingCodeFromInternationalNumberWithoutPlusSign.js: "61 412 345 678" in Australia.
  const callingCode = plan.callingCode;
  if (number.startsWith(callingCode)) {
    const shorter = number.slice(callingCode.length);
    const shorterNational = nationalNumberOf(shorter, plan, plans);
    const whole = nationalNumberOf(number, plan, plans);
    if (
      (!plan.national.test(whole) && plan.national.test(shorterNational)) ||
      lengthCheck(whole, plan) === "TOO_LONG"
    ) {
      const main = plans.countriesOf(callingCode)?.[0];
      return main === undefined
        ? undefined
        : complete(callingCode, shorter, undefined, plans.of(main), plans);
    }
  }
  return complete(callingCode, number, defaultCountry, plan, plans);
}

/**
 * parse.js from the national number's extraction on: the national number, the exact country among those sharing
 * the calling code, the length bounds, and PhoneNumber.isValid(). `plan` is the one selected so far.
 */
function complete(
  callingCode: string,
  number: string,
  country: string | undefined,
  plan: NumberingPlan,
  plans: NumberingPlans,
): ValidPhone | null {
  if (number === "") return null;
  const nationalNumber = nationalNumberOf(number, plan, plans);
  const exact = countryOf(callingCode, nationalNumber, plans);
  if (exact !== undefined) {
    country = exact;
    plan = plans.of(exact);
  }
  if (nationalNumber.length < MIN_NATIONAL || nationalNumber.length > MAX_NATIONAL) return null;
  // isValid.js: by the plan of the country, else of the calling code (the plan selected above either way).
  const valid = plan.hasTypes ? hasNumberType(nationalNumber, plan) : plan.national.test(nationalNumber);
  return valid ? { number: `+${callingCode}${nationalNumber}`, country } : null;
}

/** extractNationalNumber.js: the number without its national prefix (and carrier code), when that is right. */
function nationalNumberOf(number: string, plan: NumberingPlan, plans: NumberingPlans): string {
  const stripped = withoutNationalPrefix(number, plan);
  if (stripped === number) return number;
  // shouldHaveExtractedNationalPrefix: in Russia "8" is the prefix and also begins 800 numbers.
  if (plan.national.test(number) && !plan.national.test(stripped)) return number;
  if (plan.lengths) {
    const country = countryOf(plan.callingCode, stripped, plans);
    if (!possibleIncomplete(stripped, country === undefined ? plan : plans.of(country))) return number;
  }
  return stripped;
}

/** extractNationalNumberFromPossiblyIncompleteNumber.js. */
function withoutNationalPrefix(number: string, plan: NumberingPlan): string {
  const prefix = plan.prefixForParsing;
  if (number === "" || prefix === undefined) return number;
  const match = prefix.exec(number);
  if (match === null) return number;
  const groups = match.length - 1;
  const captured = groups > 0 && Boolean(match[groups]);
  return plan.prefixTransform && captured
    ? number.replace(prefix, plan.prefixTransform)
    : number.slice(match[0].length);
}

/** getCountryByCallingCode.js and getCountryByNationalNumber.js: the first country whose plan claims the number. */
function countryOf(callingCode: string, nationalNumber: string, plans: NumberingPlans): string | undefined {
  const countries = plans.countriesOf(callingCode);
  if (countries === undefined) return undefined;
  if (countries.length === 1) return countries[0];
  for (const country of countries) {
    const plan = plans.of(country);
    if (plan.leadingDigits !== undefined) {
      if (nationalNumber !== "" && nationalNumber.search(plan.leadingDigits) === 0) return country;
    } else if (hasNumberType(nationalNumber, plan)) return country;
  }
  return undefined;
}

/** checkNumberLength.js (no number type). */
function lengthCheck(nationalNumber: string, plan: NumberingPlan): string {
  const lengths = plan.lengths;
  if (!lengths) return "IS_POSSIBLE";
  const length = nationalNumber.length;
  const min = lengths[0] as number;
  if (min === length) return "IS_POSSIBLE";
  if (min > length) return "TOO_SHORT";
  if ((lengths[lengths.length - 1] as number) < length) return "TOO_LONG";
  return lengths.indexOf(length, 1) >= 0 ? "IS_POSSIBLE" : "INVALID_LENGTH";
}

/** extractNationalNumber.js isPossibleIncompleteNationalNumber: too long still counts as possible there. */
function possibleIncomplete(nationalNumber: string, plan: NumberingPlan): boolean {
  const check = lengthCheck(nationalNumber, plan);
  return check !== "TOO_SHORT" && check !== "INVALID_LENGTH";
}
