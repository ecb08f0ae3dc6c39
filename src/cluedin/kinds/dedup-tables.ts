/**
 * clue's matching functions ↔ CluedIn's deduplication catalogue, by the display names the platform's catalogue
 * (`GET /api/deduplication/projects/rules/matchingfunctions`) lists; the target resolves them to the catalogue's
 * ids. Plain data: adding a mapping is adding a row. The first row for a display name is the one import writes.
 */

export interface Mapping {
  clue: string;
  display: string;
  /** What differs, when the platform's function is near but not equal. */
  approximation?: string;
}

const PHONE =
  "CluedIn's Phone number normaliser strips + - _ ( ) and spaces only; it does not format numbers as E.164";

/** One-argument clue functions applied to both sides → normalisations, applied innermost first. */
export const NORMALISERS: readonly Mapping[] = [
  { clue: "lower", display: "To lowercase" },
  { clue: "collapse_whitespace", display: "Trim whitespace" },
  {
    clue: "trim",
    display: "Trim whitespace",
    approximation: "CluedIn's Trim whitespace also collapses runs of whitespace inside the value",
  },
  { clue: "strip_accents", display: "Remove diacritic marks" },
  { clue: "digits_only", display: "Phone number", approximation: PHONE },
  { clue: "normalize_phone", display: "Phone number", approximation: PHONE },
  { clue: "e164", display: "Phone number", approximation: PHONE },
  { clue: "to_e164", display: "Phone number", approximation: PHONE },
];

/** `f(x) == f(other.x)` with f one of these, outermost → a matching function instead of Equals. */
export const EQUALITY_MATCHERS: readonly Mapping[] = [
  {
    clue: "normalize_email",
    display: "Email",
    approximation:
      "CluedIn's Email matcher also ignores dots and +aliases of Gmail addresses; normalize_email's rules may differ",
  },
  { clue: "double_metaphone", display: "DoubleMetaphone" },
  {
    clue: "soundex",
    display: "DoubleMetaphone",
    approximation: "CluedIn matches by Double Metaphone, not Soundex codes",
  },
  { clue: "first_token", display: "First token equals" },
];

/** `sim(x, other.x) >= t` → a fuzzy matching function with a threshold in percent. */
export const SIMILARITY_MATCHERS: readonly Mapping[] = [
  { clue: "sift4", display: "Fuzzy match - Sift4" },
  {
    clue: "jaro_winkler",
    display: "Fuzzy match - Sift4",
    approximation: "CluedIn scores with Sift4, not Jaro-Winkler: the same threshold accepts other pairs",
  },
  {
    clue: "levenshtein_similarity",
    display: "Fuzzy match - Sift4",
    approximation: "CluedIn scores with Sift4, not Levenshtein: the same threshold accepts other pairs",
  },
];

export const EQUALS = "Equals";

export const byClue = (table: readonly Mapping[], name: string) => table.find((m) => m.clue === name);
export const byDisplay = (table: readonly Mapping[], display: string) =>
  table.find((m) => m.display === display);
