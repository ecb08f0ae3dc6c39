import { uuidV5 } from "../../util/uuid-v5.js";
import { STANDIN_NAMESPACE } from "./auth.js";

/**
 * The deduplication catalogue (`GET /api/deduplication/projects/rules/matchingfunctions`), by the display names the
 * platform's documentation lists. The platform does not publish the ids, so the stand-in derives each from its
 * display name (UUID v5): stable across runs and machines, and certainly not the real ones, which keeps clients
 * honest about resolving them by name.
 */
const MATCHING_FUNCTIONS = [
  "Equals",
  "Fuzzy match - Sift4",
  "Fuzzy match - phonetic",
  "DoubleMetaphone",
  "Contains",
  "Starts with",
  "Ends with",
  "First token equals",
  "Email",
];

const NORMALIZATIONS = [
  "To lowercase",
  "Trim whitespace",
  "Remove punctuation",
  "Remove special characters",
  "Remove diacritic marks",
  "Person name variations",
  "First name nickname variants",
  "Organization name",
  "Organization name postfix",
  "Phone number",
  "Email mask",
  "Street address",
  "Geography country",
  "Replace text",
  "Regex replace text",
  "Split text",
  "Regex split text",
  "Split text by whitespace",
  "Transliterate",
];

export interface CatalogueEntry {
  id: string;
  displayName: string;
}

const entries = (kind: string, names: string[]): CatalogueEntry[] =>
  names.map((displayName) => ({ id: uuidV5(`${kind}:${displayName}`, STANDIN_NAMESPACE), displayName }));

export const MATCHING_CATALOGUE = {
  matchingFunctions: entries("matching-function", MATCHING_FUNCTIONS),
  normalizations: entries("normalization", NORMALIZATIONS),
};
