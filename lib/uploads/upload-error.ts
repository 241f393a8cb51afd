/** A refused upload: the HTTP status to answer with and a message to show next to the file. */
export class UploadError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 415 | 429,
    message: string,
  ) {
    super(message);
    this.name = "UploadError";
  }
}
