/**
 * Given names for matching rules: whether two names are the same person's (Bill and William), and a key to block
 * on. The knowledge is the bundled nickname list (data/nicknames/) and, optionally, a user's reference table.
 */
import type { CallContext, FunctionDef, ParamDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asText } from "./coerce.js";
import {
  bundledNames,
  foldName,
  nameKey,
  nameTable,
  sameName,
  type NameIndex,
  type NameTable,
} from "./nicknames.js";

const TABLE: ParamDef = {
  name: "table",
  type: "string",
  optional: true,
  description:
    "A reference table under config/reference/ whose rows map a name (first column) to its canonical form (second column), compared without case or accents. A name it mentions, in either column, is matched by the table instead of the bundled list; other names still use the list.",
};

/**
 * The bundled list and the named table, or null when the table is asked for but missing, or the list cannot be
 * read: like lookup(), a missing table must not crash a run, and a guess without it would be a silent wrong match.
 */
function sources(table: Value | undefined, ctx: CallContext): { list: NameIndex; table?: NameTable } | null {
  try {
    const list = bundledNames();
    if (table === undefined) return { list };
    const name = asText(table);
    const found = name === null ? undefined : ctx.table?.(name);
    return found === undefined ? null : { list, table: nameTable(found) };
  } catch {
    return null;
  }
}

export const nameFunctions: readonly FunctionDef[] = [
  {
    name: "names_equivalent",
    description:
      "Whether two given names are the same name: equal ignoring case, accents and surrounding spaces, linked by the bundled nickname list (either is a nickname of the other), or with the same canonical_name.",
    notes: [
      'The bundled list is the English given-name nickname list of the nicknames project (github.com/carltonnorthern/nicknames, release 1.0.1, Apache License 2.0; data/nicknames/NOTICE says where the copy came from): 2,691 rows linking 2,164 names, read on first use. Names are folded before they are compared: lowercased, accents removed as strip_accents removes them, spaces trimmed and collapsed. A text is one name: compare given names one at a time (first_token), since "Mary Ann" is looked up whole.',
      "Two nicknames of one name are equivalent only when both are keyed to it: Will and Willy both key to william, but Bill and Bob, both listed under Robert, are not equivalent, because Bill keys to william. The list comes from genealogy and has its oddities (it links Bill and Fred, for one); a table can overrule it. With `table`, a name the table mentions is matched through the table's keys alone; a name it does not mention keeps the list's links and key, and that key is looked up in the table too. A missing table gives null, as lookup() does.",
    ],
    params: [{ name: "a", type: "string" }, { name: "b", type: "string" }, TABLE],
    returns: "boolean",
    examples: [
      { expr: 'names_equivalent("Bill", "William")', result: true },
      { expr: 'names_equivalent("bill", "BILLY")', result: true },
      { expr: 'names_equivalent("Willy", "Will")', result: true },
      { expr: 'names_equivalent("Bill", "Bob")', result: false },
      { expr: 'names_equivalent("Zoë", " ZOE ")', result: true },
      { expr: 'names_equivalent("Ann", null)', result: null },
    ],
    call: ([x, y, table], ctx) => {
      const a = asText(x);
      const b = asText(y);
      const from = a === null || b === null ? null : sources(table, ctx);
      if (a === null || b === null || from === null) return null;
      return sameName(foldName(a), foldName(b), from.list, from.table);
    },
  },
  {
    name: "canonical_name",
    description:
      "A given name as a blocking key: lowercase without accents, and for a name the nickname list knows, the full name it is keyed to (Bill → william); names with equal keys are always names_equivalent, but a nickname of several names keys to one of them only.",
    notes: [
      "The key of a name the list does not know is the name, folded as names_equivalent folds it. A listed name is followed from nickname to full name until a name with no full name is reached: of two linked names, the full name is the longer one (at equal length the one with more nicknames, then the alphabetically first), whichever way round the list writes the row. Of several full names, the key follows one that is no other name's nickname, then the one sharing most linked names, then the one with more nicknames, then the alphabetically first.",
      "Guaranteed: case, accents and surrounding spaces never change the key; the key of a key is itself; names with equal keys are names_equivalent; a name the list gives as the nickname of exactly one name, a longer one, has that name's key. Not guaranteed: that equivalent names share a key. The list is many-to-many — Alex is listed under Alexander and Alexandra, Billy under Robert and William — and one key per name can follow only one of them (Alex keys with Alexander, to alexandria; Billy to robert). Of the 2,553 pairs of names the list links, 1,432 (56%) share a key. Block on canonical_name to bring together records that differ by a common nickname, keep another blocking key (date of birth, email) for the rest, and compare with names_equivalent, which also accepts the directly linked pairs.",
    ],
    params: [{ name: "name", type: "string" }, TABLE],
    returns: "string",
    examples: [
      { expr: 'canonical_name("Bill")', result: "william" },
      { expr: 'canonical_name("Will")', result: "william" },
      { expr: 'canonical_name("Liz")', result: "elizabeth" },
      { expr: 'canonical_name("Elizabeth")', result: "elizabeth" },
      { expr: 'canonical_name(" Zoë ")', result: "zoe" },
    ],
    call: ([value, table], ctx) => {
      const text = asText(value);
      const from = text === null ? null : sources(table, ctx);
      return text === null || from === null ? null : nameKey(foldName(text), from.list, from.table);
    },
  },
];
