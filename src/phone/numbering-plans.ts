/**
 * libphonenumber-js's numbering plans with their patterns compiled once. The library builds a RegExp from a
 * pattern's text on every test (`new RegExp('^(?:' + pattern + ')$')`, its helpers/matchesEntirely.js), which is
 * most of what parsing a number costs; plain-number.ts reads the same patterns from here, compiled the same way.
 */
import type { Metadata, MetadataJson } from "libphonenumber-js/core";

/** The phone number types, in the order the library's getNumberType tries them (fixed line first). */
const TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "PREMIUM_RATE",
  "TOLL_FREE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
] as const;

/** One number type of a plan: its whole-number pattern and the national number lengths it allows. */
interface NumberType {
  pattern: RegExp;
  lengths: readonly number[] | undefined;
}

/** A country's numbering plan: what parsing and validating a number reads from it. */
export interface NumberingPlan {
  country: string;
  callingCode: string;
  /** The international dialling prefix ("0011" in AU), unanchored: the library tests `search(...) === 0`. */
  idd: RegExp;
  /** The national significant number pattern, anchored at both ends. */
  national: RegExp;
  lengths: readonly number[] | undefined;
  nationalPrefix: string | undefined;
  /** The national prefix as it is parsed (it may capture a carrier code), anchored at the start. */
  prefixForParsing: RegExp | undefined;
  prefixTransform: string | undefined;
  /** Unanchored, as the library uses it (`search(...) === 0`). */
  leadingDigits: RegExp | undefined;
  /** False when the metadata has no type patterns for the plan (then the national pattern stands for all). */
  hasTypes: boolean;
  /** The types with a pattern, in TYPES order. */
  types: readonly NumberType[];
}

/** The parts of the library's Metadata class that its type declarations leave out. */
interface MetadataReader {
  selectNumberingPlan(country: string): void;
  numberingPlan: PlanReader;
  hasCallingCode(callingCode: string): boolean | undefined;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  hasCountry(country: string): boolean;
}

interface PlanReader {
  callingCode(): string;
  IDDPrefix(): string;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefix(): string | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

/** The plans of one metadata set, each compiled when first asked for. */
export class NumberingPlans {
  readonly #reader: MetadataReader;
  readonly #plans = new Map<string, NumberingPlan>();

  constructor(MetadataClass: typeof Metadata, json: MetadataJson) {
    this.#reader = new MetadataClass(json) as unknown as MetadataReader;
  }

  /** Whether the metadata knows a calling code (a country's, or a non-geographic one such as 800). */
  hasCallingCode(callingCode: string): boolean {
    return this.#reader.hasCallingCode(callingCode) === true;
  }

  /** The countries of a calling code, main country first; undefined for a non-geographic code. */
  countriesOf(callingCode: string): readonly string[] | undefined {
    return this.#reader.getCountryCodesForCallingCode(callingCode);
  }

  hasCountry(country: string): boolean {
    return this.#reader.hasCountry(country);
  }

  /** A country's plan; the country must be one the metadata has. */
  of(country: string): NumberingPlan {
    let plan = this.#plans.get(country);
    if (plan === undefined) {
      plan = this.#compile(country);
      this.#plans.set(country, plan);
    }
    return plan;
  }

  #compile(country: string): NumberingPlan {
    this.#reader.selectNumberingPlan(country);
    const plan = this.#reader.numberingPlan;
    const prefixForParsing = plan.nationalPrefixForParsing();
    const leadingDigits = plan.leadingDigits();
    const types: NumberType[] = [];
    if (plan.hasTypes())
      for (const name of TYPES) {
        const type = plan.type(name);
        // An empty pattern is a type the metadata dropped as a duplicate of another: it never matches alone.
        if (type === undefined || !type.pattern()) continue;
        types.push({ pattern: whole(type.pattern()), lengths: type.possibleLengths() });
      }
    return {
      country,
      callingCode: plan.callingCode(),
      idd: new RegExp(plan.IDDPrefix()),
      national: whole(plan.nationalNumberPattern()),
      lengths: plan.possibleLengths(),
      nationalPrefix: plan.nationalPrefix(),
      prefixForParsing: prefixForParsing ? new RegExp(`^(?:${prefixForParsing})`) : undefined,
      prefixTransform: plan.nationalPrefixTransformRule(),
      leadingDigits: leadingDigits ? new RegExp(leadingDigits) : undefined,
      hasTypes: plan.hasTypes(),
      types,
    };
  }
}

/** A pattern that must match the whole text, as the library's matchesEntirely builds it. */
function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/**
 * Whether a national number has a type in the plan (getNumberType(...) !== undefined in the library): it matches
 * the national pattern, then some type whose lengths allow it and whose pattern matches it.
 */
export function hasNumberType(nationalNumber: string, plan: NumberingPlan): boolean {
  if (!plan.national.test(nationalNumber)) return false;
  for (const type of plan.types) {
    if (type.lengths !== undefined && !type.lengths.includes(nationalNumber.length)) continue;
    if (type.pattern.test(nationalNumber)) return true;
  }
  return false;
}
