/**
 * Which of libphonenumber-js's metadata sets clue reads phone numbers with: "max".
 *
 * - "min" knows each country's national number pattern and lengths, and number types only where countries share a
 *   calling code; so `isValid()` mostly checks a number's length and broad shape. "+61 123 456 789" (the right
 *   length for Australia, in no range Australia assigns) passes, and matching on E.164 would group unrelated
 *   records that share such a number.
 * - "mobile" knows mobile ranges only: every landline is invalid, so a business's office number would be dropped.
 * - "max" knows every number type's ranges and lengths, as Google's libphonenumber does: a number is valid when it
 *   falls in a range its country assigns to some type (fixed line, mobile, toll free, ...). It is the largest set
 *   (about 145 kB against min's 80 kB), loaded on the first phone number a run parses.
 *
 * docs/pending/floor.md has the figures (how many numbers each set accepts, and how fast each parses).
 */
export const PHONE_METADATA = "max";
