/* Generated from schemas/test.schema.json by `npm run types`. Do not edit by hand. */

/**
 * A golden test for the local evaluator: input records of a source, and the expected output of one pipeline stage.
 */
export interface TestCase {
  /**
   * Optional: the kind is otherwise taken from the folder (config/tests/).
   */
  kind?: "test";
  /**
   * The test's name, unique among tests.
   */
  test: string;
  /**
   * What the test pins down.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * The source whose mapping reads the input.
   */
  source: string;
  /**
   * The entity, when the source maps onto several.
   */
  entity?: string;
  /**
   * Further sources whose records meet this test's in dedup (stages matches, golden, export: and events:), like several --source/--input pairs of clue run.
   *
   * @minItems 1
   */
  also?: [
    {
      /**
       * The source whose mapping reads these records.
       */
      source: string;
      /**
       * The entity, when the source maps onto several; default: the test's entity.
       */
      entity?: string;
      /**
       * A JSON Lines, JSON or CSV file of input records, relative to this file.
       */
      input?: string;
      /**
       * Input records written inline.
       */
      given?: {}[];
    },
    ...{
      /**
       * The source whose mapping reads these records.
       */
      source: string;
      /**
       * The entity, when the source maps onto several; default: the test's entity.
       */
      entity?: string;
      /**
       * A JSON Lines, JSON or CSV file of input records, relative to this file.
       */
      input?: string;
      /**
       * Input records written inline.
       */
      given?: {}[];
    }[]
  ];
  /**
   * events: stages only: an event state file (what clue run --state writes) holding what earlier runs published; the test renders new versions, previous hashes and tombstones against it. Read, never written.
   */
  state?: string;
  /**
   * A JSON Lines, JSON or CSV file of input records, relative to this file.
   */
  input?: string;
  /**
   * Input records written inline.
   */
  given?: {}[];
  /**
   * The stage compared, and the expected records.
   */
  expect: {
    /**
     * mapped | cleaned | validated | matches | golden | export:<name> | events:<name>.
     */
    stage: string;
    /**
     * A JSON Lines golden file, relative to this file; `clue test --update` (re)writes it.
     */
    file?: string;
    /**
     * The expected records written inline.
     */
    rows?: {}[];
  };
}
