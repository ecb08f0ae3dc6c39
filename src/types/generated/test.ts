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
