/**
 * The function library of the expression language (SPEC section 4): a registry of plain definitions, one array
 * per family. Adding a function is adding one entry to its family's array.
 */
import type { FunctionDef } from "../function-def.js";
import { dateFunctions } from "./dates.js";
import { emailFunctions } from "./email.js";
import { matchingFunctions } from "./matching.js";
import { miscFunctions } from "./misc.js";
import { nameFunctions } from "./names.js";
import { numberFunctions } from "./numbers.js";
import { phoneFunctions } from "./phone.js";
import { regexFunctions } from "./regex.js";
import { similarityFunctions } from "./similarity.js";
import { substringFunctions } from "./substrings.js";
import { textFunctions } from "./text.js";

/** Every definition, by family, in the order the docs list families. */
export const functionFamilies: readonly { title: string; functions: readonly FunctionDef[] }[] = [
  { title: "Text", functions: textFunctions },
  { title: "Substrings and searching", functions: substringFunctions },
  { title: "Regular expressions", functions: regexFunctions },
  { title: "E-mail", functions: emailFunctions },
  { title: "Phone numbers", functions: phoneFunctions },
  { title: "Dates", functions: dateFunctions },
  { title: "Numbers", functions: numberFunctions },
  { title: "Similarity", functions: similarityFunctions },
  { title: "Matching", functions: matchingFunctions },
  { title: "Given names", functions: nameFunctions },
  { title: "Nulls, lookups and hashing", functions: miscFunctions },
];

function registry(): ReadonlyMap<string, FunctionDef> {
  const map = new Map<string, FunctionDef>();
  for (const family of functionFamilies) {
    for (const fn of family.functions) {
      // Two families defining one name would silently shadow one of them; fail loudly at start-up instead.
      if (map.has(fn.name)) throw new Error(`Function ${fn.name} is defined twice.`);
      map.set(fn.name, fn);
    }
  }
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The library by name, sorted by name. */
export const functions: ReadonlyMap<string, FunctionDef> = registry();
