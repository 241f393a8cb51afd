import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from "@aws-sdk/client-s3";
import { isNotFoundError, ObjectNotFoundError } from "./object-not-found-error";

/**
 * Reading objects whole or by byte range: all the labelling hot path needs from S3, with no Node-only import, so
 * edge-runtime routes use it too (the SDK sends its requests with fetch there).
 */
export interface ObjectReader {
  /** Throws ObjectNotFoundError. */
  get(key: string): Promise<Uint8Array>;
  /** Bytes start..endInclusive (an HTTP Range GET), clamped at the object's end. Throws ObjectNotFoundError. */
  getRange(key: string, start: number, endInclusive: number): Promise<Uint8Array>;
}

export class S3ObjectReader implements ObjectReader {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async get(key: string): Promise<Uint8Array> {
    const out = await this.getObject(key);
    return out.Body!.transformToByteArray();
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start) {
      throw new RangeError(`Invalid byte range ${start}-${endInclusive} for ${key}`);
    }
    // Always an explicit first-last range: s3rver misreads suffix ranges (bytes=-N) as 0-N.
    const out = await this.getObject(key, `bytes=${start}-${endInclusive}`);
    const bytes = await out.Body!.transformToByteArray();
    // A server that ignores Range answers 200 with the whole object; cut it down rather than return wrong bytes.
    if (!out.ContentRange) return bytes.subarray(start, endInclusive + 1);
    return bytes;
  }

  async getObject(key: string, range?: string): Promise<GetObjectCommandOutput> {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }));
    } catch (error) {
      if (isNotFoundError(error)) throw new ObjectNotFoundError(key, { cause: error });
      throw error;
    }
  }
}
