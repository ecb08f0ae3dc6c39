/**
 * The primary code of Lawrence Philips' Double Metaphone (C/C++ Users Journal, June 2000), following his original
 * rules. Only the primary code is kept, truncated to four characters as in the original; "0" stands for "th".
 */

const VOWELS = new Set(["A", "E", "I", "O", "U", "Y"]);
// Stand-ins for Ç and Ñ, which the original handles itself, so stripping accents keeps them apart from C and N.
const C_CEDILLA = "\u0001";
const N_TILDE = "\u0002";

/** Upper-cased, accents removed except on Ç and Ñ, trimmed. */
function prepare(text: string): string {
  return text
    .toUpperCase()
    .replace(/Ç/g, C_CEDILLA)
    .replace(/Ñ/g, N_TILDE)
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .trim();
}

/** The primary Double Metaphone code of text (at most 4 characters; "" when nothing in it is encoded). */
export function doubleMetaphone(text: string): string {
  const word = prepare(text);
  const length = word.length;
  const last = length - 1;
  // The original pads the word with spaces, so lookahead past the end sees " " (as in "JOSE " and "IER ").
  const padded = word + "     ";
  const at = (i: number): string => (i < 0 || i >= padded.length ? "" : (padded[i] ?? ""));
  const stringAt = (start: number, len: number, ...options: string[]): boolean =>
    start >= 0 && options.includes(padded.slice(start, start + len));
  const isVowel = (i: number): boolean => VOWELS.has(at(i));
  const slavoGermanic = /W|K|CZ|WITZ/.test(word);

  let primary = "";
  const add = (code: string): void => {
    primary += code;
  };
  let current = 0;
  if (stringAt(0, 2, "GN", "KN", "PN", "WR", "PS")) current = 1;
  if (at(0) === "X") {
    add("S");
    current = 1;
  }

  while (primary.length < 4 && current < length) {
    const ch = at(current);
    switch (ch) {
      case "A":
      case "E":
      case "I":
      case "O":
      case "U":
      case "Y":
        if (current === 0) add("A");
        current += 1;
        break;
      case "B":
        add("P");
        current += at(current + 1) === "B" ? 2 : 1;
        break;
      case C_CEDILLA:
        add("S");
        current += 1;
        break;
      case "C":
        current = encodeC(current);
        break;
      case "D":
        if (stringAt(current, 2, "DG")) {
          if (stringAt(current + 2, 1, "I", "E", "Y")) {
            add("J");
            current += 3;
          } else {
            add("TK");
            current += 2;
          }
        } else if (stringAt(current, 2, "DT", "DD")) {
          add("T");
          current += 2;
        } else {
          add("T");
          current += 1;
        }
        break;
      case "F":
        add("F");
        current += at(current + 1) === "F" ? 2 : 1;
        break;
      case "G":
        current = encodeG(current);
        break;
      case "H":
        // Kept only first or between vowels, and before a vowel.
        if ((current === 0 || isVowel(current - 1)) && isVowel(current + 1)) {
          add("H");
          current += 2;
        } else {
          current += 1;
        }
        break;
      case "J":
        current = encodeJ(current);
        break;
      case "K":
        add("K");
        current += at(current + 1) === "K" ? 2 : 1;
        break;
      case "L":
        if (at(current + 1) === "L") {
          // Spanish ("cabrillo", "gallegos") is silent only in the secondary code, so the primary one is L either way.
          current += 2;
        } else {
          current += 1;
        }
        add("L");
        break;
      case "M":
        if (
          (stringAt(current - 1, 3, "UMB") && (current + 1 === last || stringAt(current + 2, 2, "ER"))) ||
          at(current + 1) === "M"
        ) {
          current += 2;
        } else {
          current += 1;
        }
        add("M");
        break;
      case "N":
        add("N");
        current += at(current + 1) === "N" ? 2 : 1;
        break;
      case N_TILDE:
        add("N");
        current += 1;
        break;
      case "P":
        if (at(current + 1) === "H") {
          add("F");
          current += 2;
        } else {
          // "campbell", "raspberry"
          current += stringAt(current + 1, 1, "P", "B") ? 2 : 1;
          add("P");
        }
        break;
      case "Q":
        add("K");
        current += at(current + 1) === "Q" ? 2 : 1;
        break;
      case "R":
        // French, e.g. "rogier", but not "hochmeier": silent in the primary code.
        if (!(
          current === last &&
          !slavoGermanic &&
          stringAt(current - 2, 2, "IE") &&
          !stringAt(current - 4, 2, "ME", "MA")
        )) {
          add("R");
        }
        current += at(current + 1) === "R" ? 2 : 1;
        break;
      case "S":
        current = encodeS(current);
        break;
      case "T":
        if (stringAt(current, 4, "TION") || stringAt(current, 3, "TIA", "TCH")) {
          add("X");
          current += 3;
        } else if (stringAt(current, 2, "TH") || stringAt(current, 3, "TTH")) {
          // "thomas", "thames", or Germanic
          add(
            stringAt(current + 2, 2, "OM", "AM") || stringAt(0, 4, "VAN ", "VON ") || stringAt(0, 3, "SCH")
              ? "T"
              : "0",
          );
          current += 2;
        } else {
          add("T");
          current += stringAt(current + 1, 1, "T", "D") ? 2 : 1;
        }
        break;
      case "V":
        add("F");
        current += at(current + 1) === "V" ? 2 : 1;
        break;
      case "W":
        if (stringAt(current, 2, "WR")) {
          add("R");
          current += 2;
          break;
        }
        if (current === 0 && (isVowel(current + 1) || stringAt(current, 2, "WH"))) add("A");
        if (
          (current === last && isVowel(current - 1)) ||
          stringAt(current - 1, 5, "EWSKI", "EWSKY", "OWSKI", "OWSKY") ||
          stringAt(0, 3, "SCH")
        ) {
          // "Arnow" (primary silent, secondary F)
          current += 1;
        } else if (stringAt(current, 4, "WICZ", "WITZ")) {
          add("TS");
          current += 4;
        } else {
          current += 1;
        }
        break;
      case "X":
        // French, e.g. "breaux"
        if (!(
          current === last &&
          (stringAt(current - 3, 3, "IAU", "EAU") || stringAt(current - 2, 2, "AU", "OU"))
        )) {
          add("KS");
        }
        current += stringAt(current + 1, 1, "C", "X") ? 2 : 1;
        break;
      case "Z":
        if (at(current + 1) === "H") {
          // Chinese pinyin, e.g. "zhao"
          add("J");
          current += 2;
        } else {
          add("S");
          current += at(current + 1) === "Z" ? 2 : 1;
        }
        break;
      default:
        current += 1;
    }
  }
  return primary.slice(0, 4);

  function encodeC(i: number): number {
    // Various Germanic: "bacher", "macher"
    if (
      i > 1 &&
      !isVowel(i - 2) &&
      stringAt(i - 1, 3, "ACH") &&
      at(i + 2) !== "I" &&
      (at(i + 2) !== "E" || stringAt(i - 2, 6, "BACHER", "MACHER"))
    ) {
      add("K");
      return i + 2;
    }
    if (i === 0 && stringAt(i, 6, "CAESAR")) {
      add("S");
      return i + 2;
    }
    if (stringAt(i, 4, "CHIA")) {
      // Italian "chianti"
      add("K");
      return i + 2;
    }
    if (stringAt(i, 2, "CH")) {
      if (i > 0 && stringAt(i, 4, "CHAE")) {
        // "michael"
        add("K");
        return i + 2;
      }
      if (
        i === 0 &&
        (stringAt(i + 1, 5, "HARAC", "HARIS") || stringAt(i + 1, 3, "HOR", "HYM", "HIA", "HEM")) &&
        !stringAt(0, 5, "CHORE")
      ) {
        // Greek roots: "chemistry", "chorus"
        add("K");
        return i + 2;
      }
      if (
        stringAt(0, 4, "VAN ", "VON ") ||
        stringAt(0, 3, "SCH") ||
        stringAt(i - 2, 6, "ORCHES", "ARCHIT", "ORCHID") ||
        stringAt(i + 2, 1, "T", "S") ||
        ((stringAt(i - 1, 1, "A", "O", "U", "E") || i === 0) &&
          stringAt(i + 2, 1, "L", "R", "N", "M", "B", "H", "F", "V", "W", " "))
      ) {
        add("K");
      } else if (i > 0) {
        add(stringAt(0, 2, "MC") ? "K" : "X");
      } else {
        add("X");
      }
      return i + 2;
    }
    if (stringAt(i, 2, "CZ") && !stringAt(i - 2, 4, "WICZ")) {
      // "czerny"
      add("S");
      return i + 2;
    }
    if (stringAt(i + 1, 3, "CIA")) {
      // "focaccia"
      add("X");
      return i + 3;
    }
    if (stringAt(i, 2, "CC") && !(i === 1 && at(0) === "M")) {
      // Double C, but not "McClellan"
      if (stringAt(i + 2, 1, "I", "E", "H") && !stringAt(i + 2, 2, "HU")) {
        // "accident", "accede", "succeed" against "bacci", "bertucci"
        add((i === 1 && at(i - 1) === "A") || stringAt(i - 1, 5, "UCCEE", "UCCES") ? "KS" : "X");
        return i + 3;
      }
      add("K");
      return i + 2;
    }
    if (stringAt(i, 2, "CK", "CG", "CQ")) {
      add("K");
      return i + 2;
    }
    if (stringAt(i, 2, "CI", "CE", "CY")) {
      add("S");
      return i + 2;
    }
    add("K");
    // "mac caffrey", "mac gregor"
    if (stringAt(i + 1, 2, " C", " Q", " G")) return i + 3;
    if (stringAt(i + 1, 1, "C", "K", "Q") && !stringAt(i + 1, 2, "CE", "CI")) return i + 2;
    return i + 1;
  }

  function encodeG(i: number): number {
    if (at(i + 1) === "H") {
      if (i > 0 && !isVowel(i - 1)) {
        add("K");
        return i + 2;
      }
      if (i === 0) {
        // "ghislane", "ghiradelli"
        add(at(i + 2) === "I" ? "J" : "K");
        return i + 2;
      }
      // Parker's rule, e.g. "hugh"
      if (
        (i > 1 && stringAt(i - 2, 1, "B", "H", "D")) ||
        (i > 2 && stringAt(i - 3, 1, "B", "H", "D")) ||
        (i > 3 && stringAt(i - 4, 1, "B", "H"))
      ) {
        return i + 2;
      }
      // "laugh", "McLaughlin", "cough", "gough", "rough", "tough"
      if (i > 2 && at(i - 1) === "U" && stringAt(i - 3, 1, "C", "G", "L", "R", "T")) add("F");
      else if (i > 0 && at(i - 1) !== "I") add("K");
      return i + 2;
    }
    if (at(i + 1) === "N") {
      if (i === 1 && isVowel(0) && !slavoGermanic) add("KN");
      else if (!stringAt(i + 2, 2, "EY") && at(i + 1) !== "Y" && !slavoGermanic) add("N");
      else add("KN");
      return i + 2;
    }
    if (stringAt(i + 1, 2, "LI") && !slavoGermanic) {
      // "tagliaro"
      add("KL");
      return i + 2;
    }
    if (
      i === 0 &&
      (at(i + 1) === "Y" ||
        stringAt(i + 1, 2, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"))
    ) {
      // -ges-, -gep-, -gel-, -gie- at the beginning
      add("K");
      return i + 2;
    }
    if (
      (stringAt(i + 1, 2, "ER") || at(i + 1) === "Y") &&
      !stringAt(0, 6, "DANGER", "RANGER", "MANGER") &&
      !stringAt(i - 1, 1, "E", "I") &&
      !stringAt(i - 1, 3, "RGY", "OGY")
    ) {
      // -ger-, -gy-
      add("K");
      return i + 2;
    }
    if (stringAt(i + 1, 1, "E", "I", "Y") || stringAt(i - 1, 4, "AGGI", "OGGI")) {
      // Italian, e.g. "biaggi"; obviously Germanic ones are hard
      add(stringAt(0, 4, "VAN ", "VON ") || stringAt(0, 3, "SCH") || stringAt(i + 1, 2, "ET") ? "K" : "J");
      return i + 2;
    }
    add("K");
    return at(i + 1) === "G" ? i + 2 : i + 1;
  }

  function encodeJ(i: number): number {
    if (stringAt(i, 4, "JOSE") || stringAt(0, 4, "SAN ")) {
      // Spanish: "jose", "san jacinto"
      add((i === 0 && at(i + 4) === " ") || stringAt(0, 4, "SAN ") ? "H" : "J");
      return i + 1;
    }
    if (i === 0) {
      add("J");
    } else if (isVowel(i - 1) && !slavoGermanic && (at(i + 1) === "A" || at(i + 1) === "O")) {
      // Spanish, e.g. "bajador"
      add("J");
    } else if (i === last) {
      add("J");
    } else if (
      !stringAt(i + 1, 1, "L", "T", "K", "S", "N", "M", "B", "Z") &&
      !stringAt(i - 1, 1, "S", "K", "L")
    ) {
      add("J");
    }
    return at(i + 1) === "J" ? i + 2 : i + 1;
  }

  function encodeS(i: number): number {
    if (stringAt(i - 1, 3, "ISL", "YSL")) {
      // "island", "isle", "carlisle", "carlysle"
      return i + 1;
    }
    if (i === 0 && stringAt(i, 5, "SUGAR")) {
      add("X");
      return i + 1;
    }
    if (stringAt(i, 2, "SH")) {
      // Germanic: "-sheim", "-shoek", "-sholm", "-sholz"
      add(stringAt(i + 1, 4, "HEIM", "HOEK", "HOLM", "HOLZ") ? "S" : "X");
      return i + 2;
    }
    if (stringAt(i, 3, "SIO", "SIA") || stringAt(i, 4, "SIAN")) {
      // Italian and Armenian
      add("S");
      return i + 3;
    }
    if ((i === 0 && stringAt(i + 1, 1, "M", "N", "L", "W")) || stringAt(i + 1, 1, "Z")) {
      // German and anglicised: "smith" matches "schmidt", "snider" matches "schneider"; Slavic -sz-
      add("S");
      return stringAt(i + 1, 1, "Z") ? i + 2 : i + 1;
    }
    if (stringAt(i, 2, "SC")) {
      if (at(i + 2) === "H") {
        // Schlesinger's rule
        if (stringAt(i + 3, 2, "OO", "ER", "EN", "UY", "ED", "EM")) {
          // Dutch, e.g. "school", "schooner"; "schermerhorn", "schenker"
          add(stringAt(i + 3, 2, "ER", "EN") ? "X" : "SK");
          return i + 3;
        }
        add("X");
        return i + 3;
      }
      add(stringAt(i + 2, 1, "I", "E", "Y") ? "S" : "SK");
      return i + 3;
    }
    // French, e.g. "resnais", "artois": silent in the primary code.
    if (!(i === last && stringAt(i - 2, 2, "AI", "OI"))) add("S");
    return stringAt(i + 1, 1, "S", "Z") ? i + 2 : i + 1;
  }
}
