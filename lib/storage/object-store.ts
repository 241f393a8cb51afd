import { Readable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { isNotFoundError } from "./object-not-found-error";
import { createS3Client, type S3ClientConfig } from "./s3-client";
import { S3ObjectReader } from "./s3-object-reader";

export type ObjectBody = Uint8Array | string | Readable;

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
  /** For a Readable: its exact length, so it streams. Without it the stream is buffered first (S3 needs a length). */
  contentLength?: number;
}

export interface ObjectInfo {
  size: number;
  etag: string;
  contentType: string | undefined;
}

export interface ListedObject {
  key: string;
  size: number;
}

export interface PresignPutOptions {
  contentType: string;
  /** The exact byte length the uploader will send; signed, so real S3 rejects any other length. */
  contentLength: number;
  /** Refuse to sign uploads larger than this. */
  maxBytes?: number;
  expiresSec: number;
}

/** What a browser needs to upload: send exactly these headers (browsers set Content-Length from the body). */
export interface PresignedPut {
  url: string;
  method: "PUT";
  headers: { "content-type": string };
}

/** One bucket of objects: faces in shard objects, model weights, exports. */
export interface ObjectStore {
  readonly bucket: string;
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<{ etag: string }>;
  /**
   * Writes a stream of unknown length (a multipart upload of 8 MB parts, a few in flight), so a large file never
   * sits whole in memory. The object appears only when the upload completes; a failure aborts it.
   */
  putStream(key: string, body: Readable, options?: { contentType?: string }): Promise<void>;
  /** Throws ObjectNotFoundError. */
  get(key: string): Promise<Uint8Array>;
  /** Throws ObjectNotFoundError. */
  getStream(key: string): Promise<Readable>;
  /** Bytes start..endInclusive (an HTTP Range GET), clamped at the object's end. Throws ObjectNotFoundError. */
  getRange(key: string, start: number, endInclusive: number): Promise<Uint8Array>;
  head(key: string): Promise<ObjectInfo | null>;
  list(prefix: string, options?: { pageSize?: number }): AsyncIterable<ListedObject>;
  /** Deleting a missing key is not an error (S3 semantics). */
  delete(key: string): Promise<void>;
  /** Returns how many objects were deleted. An empty prefix is refused: it would empty the bucket. */
  deletePrefix(prefix: string): Promise<number>;
  /** `downloadName`: the file name the browser saves it under (a signed response-content-disposition). */
  presignGet(key: string, expiresSec: number, options?: { downloadName?: string }): Promise<string>;
  presignPut(key: string, options: PresignPutOptions): Promise<PresignedPut>;
  /** Creates the bucket if it does not exist. */
  ensureBucket(): Promise<void>;
}

const MAX_DELETE_BATCH = 1000; // S3's DeleteObjects limit

export class S3ObjectStore implements ObjectStore {
  /** Whole and ranged reads live in S3ObjectReader, which the edge-runtime routes use on their own. */
  private readonly reader: S3ObjectReader;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {
    this.reader = new S3ObjectReader(client, bucket);
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ etag: string }> {
    let payload: ObjectBody = typeof body === "string" ? new TextEncoder().encode(body) : body;
    if (payload instanceof Readable && options.contentLength === undefined) payload = await readAll(payload);
    const out = await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: payload,
        ContentType: options.contentType,
        CacheControl: options.cacheControl,
        ContentLength: payload instanceof Readable ? options.contentLength : payload.byteLength,
      }),
    );
    return { etag: out.ETag ?? "" };
  }

  async putStream(key: string, body: Readable, options: { contentType?: string } = {}): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  get(key: string): Promise<Uint8Array> {
    return this.reader.get(key);
  }

  async getStream(key: string): Promise<Readable> {
    const out = await this.reader.getObject(key);
    // In Node the SDK's body is an IncomingMessage (a Readable) with helper methods mixed in.
    return out.Body as unknown as Readable;
  }

  getRange(key: string, start: number, endInclusive: number): Promise<Uint8Array> {
    return this.reader.getRange(key, start, endInclusive);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, etag: out.ETag ?? "", contentType: out.ContentType };
    } catch (error) {
      if (isNotFoundError(error)) return null;
      throw error;
    }
  }

  /**
   * ListObjects (v1) paged by Marker = the last key seen. Not ListObjectsV2: s3rver 3.7.1 encrypts V2 continuation
   * tokens with DES, which OpenSSL 3 (Node >= 17) lacks, so every truncated V2 page fails there with a 500.
   * V1 with Marker behaves the same on AWS S3, R2 and MinIO.
   */
  async *list(prefix: string, options: { pageSize?: number } = {}): AsyncIterable<ListedObject> {
    let marker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefix, Marker: marker, MaxKeys: options.pageSize }),
      );
      const contents = page.Contents ?? [];
      for (const object of contents) yield { key: object.Key!, size: object.Size ?? 0 };
      if (!page.IsTruncated || contents.length === 0) return;
      marker = contents[contents.length - 1].Key;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    if (prefix === "") throw new Error("deletePrefix needs a non-empty prefix");
    let deleted = 0;
    let batch: string[] = [];
    // Deleting while listing is safe: pages continue after the last key seen (Marker), not at an offset.
    for await (const object of this.list(prefix)) {
      batch.push(object.key);
      if (batch.length === MAX_DELETE_BATCH) {
        deleted += await this.deleteBatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) deleted += await this.deleteBatch(batch);
    return deleted;
  }

  presignGet(key: string, expiresSec: number, options: { downloadName?: string } = {}): Promise<string> {
    const disposition = options.downloadName ? `attachment; filename="${options.downloadName}"` : undefined;
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: disposition }),
      { expiresIn: expiresSec },
    );
  }

  /**
   * A presigned PUT, not a presigned POST: POST policies (content-length-range) are unsupported by Cloudflare R2 and
   * unchecked by s3rver, while a PUT works everywhere. The size limit is therefore enforced by signing the exact
   * Content-Length the uploader declared (checked against maxBytes here) and the Content-Type, which the SDK leaves
   * unsigned unless asked. Real S3, R2 and MinIO reject a request whose signed headers differ; the local server does
   * too (see verify-presigned-request.ts). Still head() the object after upload before trusting it.
   */
  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedPut> {
    const { contentType, contentLength, maxBytes, expiresSec } = options;
    if (!Number.isSafeInteger(contentLength) || contentLength < 0) {
      throw new RangeError(`Invalid upload length ${contentLength} for ${key}`);
    }
    if (maxBytes !== undefined && contentLength > maxBytes) {
      throw new RangeError(`Upload of ${contentLength} bytes exceeds the limit of ${maxBytes} for ${key}`);
    }
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: contentType,
      ContentLength: contentLength,
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: expiresSec,
      signableHeaders: new Set(["content-type", "content-length"]),
    });
    return { url, method: "PUT", headers: { "content-type": contentType } };
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw error;
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      // Another process may have created it between the two calls.
      if ((error as Error).name !== "BucketAlreadyOwnedByYou") throw error;
    }
  }

  private async deleteBatch(keys: string[]): Promise<number> {
    const out = await this.client.send(
      new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
    );
    const failed = out.Errors ?? [];
    if (failed.length > 0)
      throw new Error(`Could not delete ${failed.length} objects, e.g. ${failed[0].Key}: ${failed[0].Code}`);
    return keys.length;
  }
}

/** The usual way in: one client and store for the configured bucket. */
export function createObjectStore(config: S3ClientConfig & { bucket: string }): S3ObjectStore {
  return new S3ObjectStore(createS3Client(config), config.bucket);
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
