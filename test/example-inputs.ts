/** The example project's two Person samples as `--source/--input` pairs, as the README's commands give them. */
export const PERSON_INPUTS = [
  "--source",
  "crm-contacts",
  "--input",
  "config/samples/crm-contacts.jsonl",
  "--source",
  "billing",
  "--entity",
  "Person",
  "--input",
  "config/samples/billing.csv",
];
