/** An input that cannot be read further (bad container, unknown header, truncation); the message is for people. */
export class DatasetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatasetError";
  }
}
