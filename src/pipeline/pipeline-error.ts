/** A mistake that stops a run before any record is read: printed as is, exit 1 (or 64 for a bad argument). */
export class PipelineError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}
