/** Shorthands for the most common shape of function: one text in, one value out. */
import type { FunctionDef, ParamDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asText } from "./coerce.js";

export const TEXT: ParamDef = { name: "text", type: "string" };

type Signature = Omit<FunctionDef, "params" | "call"> & { params?: readonly ParamDef[] };

/** A function of one text (numbers and booleans are turned into text first; lists and records give null). */
export function textFunction(def: Signature, apply: (text: string) => Value): FunctionDef {
  return {
    params: [TEXT],
    ...def,
    call: (args) => {
      const text = asText(args[0]);
      return text === null ? null : apply(text);
    },
    onText: apply,
  };
}
