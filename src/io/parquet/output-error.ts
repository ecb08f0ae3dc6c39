/** A row that cannot be written as its columns say, or an output that cannot be made: the run fails, writing nothing. */
export class ParquetOutputError extends Error {
  override name = "ParquetOutputError";
}
