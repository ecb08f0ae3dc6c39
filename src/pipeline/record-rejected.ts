/**
 * A record the pipeline cannot take as it is: a value it could only keep by changing it (a number beyond what a
 * JavaScript number holds exactly, see io/exact-number.ts). The run goes on without the record; it is counted as
 * rejected and reported with its line and this message, never written altered.
 */
export class RecordRejected extends Error {
  override name = "RecordRejected";
}
