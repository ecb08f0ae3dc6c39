/** E-mail address checks. Nulls propagate: a check on a missing address passes, as SPEC section 4 wants. */
import type { FunctionDef } from "../function-def.js";
import { textFunction } from "./define.js";

// The WHATWG HTML rule for <input type="email"> (what browsers accept), tightened for master data: the domain
// must have a dot (no "ann@localhost") and the local part no empty dot-separated atoms ("a..b@", ".a@").
// Every quantifier is bounded or over disjoint classes, so it runs in linear time on hostile input.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`);

/** RFC 5321 limits: 64 octets for the local part, 254 for the address as a path. */
function isEmail(text: string): boolean {
  const at = text.lastIndexOf("@");
  return text.length <= 254 && at > 0 && at <= 64 && EMAIL.test(text);
}

export const emailFunctions: readonly FunctionDef[] = [
  textFunction(
    {
      name: "is_email",
      description:
        "Whether text is an e-mail address (HTML's rule, ASCII only, with a dotted domain); it is not trimmed first; null gives null.",
      returns: "boolean",
      examples: [
        { expr: 'is_email("ann.lee+crm@example.com.au")', result: true },
        { expr: 'is_email("ann@localhost")', result: false },
        { expr: 'is_email(" ann@example.com")', result: false },
        { expr: "is_email(null)", result: null },
      ],
    },
    isEmail,
  ),
  textFunction(
    {
      name: "email_domain",
      description: "The lowercased domain of an e-mail address; null when text is not one (see is_email).",
      returns: "string",
      examples: [
        { expr: 'email_domain("Ann@Example.COM")', result: "example.com" },
        { expr: 'email_domain("not an email")', result: null },
      ],
    },
    (text) => (isEmail(text) ? text.slice(text.lastIndexOf("@") + 1).toLowerCase() : null),
  ),
];
