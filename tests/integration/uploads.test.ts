import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../lib/db/query-rows";
import { FACE_PIXELS } from "../../lib/images/face-format";
import { FACE_SHARD_PREFIX, readFace } from "../../lib/images/face-shards";
import { getImage } from "../../lib/images/get-image";
import { syntheticFaces } from "../../lib/images/synthetic-faces";
import { completeUpload } from "../../lib/uploads/complete-upload";
import { createUpload, deleteAbandonedUploads, type SignedUpload } from "../../lib/uploads/create-upload";
import { encodeGrayPng } from "../../lib/uploads/encode-gray-png";
import { UploadError } from "../../lib/uploads/upload-error";
import { listUploadedFaces } from "../../lib/uploads/upload-records";
import type { ObjectStore } from "../../lib/storage/object-store";
import { createTestDatabase } from "../support/test-database";
import { createTestStore } from "../support/test-s3";

const faces = syntheticFaces(6, 2024);
const gray48 = { raw: { width: 48, height: 48, channels: 1 as const } };

describe("uploading faces: presigned PUT to S3, then checked and stored", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: ObjectStore;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    [database, store] = await Promise.all([createTestDatabase(), createTestStore()]);
    [alice, bob] = await Promise.all(["alice@example.com", "bob@example.com"].map(createUser));
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function createUser(email: string): Promise<string> {
    const [row] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into users (email) values (${email}) returning id`,
    );
    return row.id;
  }

  /** What the browser does: ask for a URL for exactly these bytes, PUT them with the given headers. */
  async function signAndPut(userId: string, body: Uint8Array): Promise<SignedUpload> {
    const signed = await createUpload(database.db, store, {
      userId,
      contentType: "image/png",
      contentLength: body.length,
    });
    const response = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: new Uint8Array(body) });
    expect(response.status).toBe(200);
    return signed;
  }

  async function refusal(promise: Promise<unknown>): Promise<UploadError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UploadError);
    return error as UploadError;
  }

  /** Everything a stored upload would change. */
  async function snapshot() {
    const [counts] = await queryRows<{ images: number; sources: number; annotations: number }>(
      database.db,
      sql`select (select count(*)::int from images) as images, (select count(*)::int from image_sources) as sources,
                 (select count(*)::int from annotations) as annotations`,
    );
    const shards: string[] = [];
    for await (const object of store.list(FACE_SHARD_PREFIX)) shards.push(object.key);
    const temporary: string[] = [];
    for await (const object of store.list("uploads/tmp/")) temporary.push(object.key);
    return { ...counts, shards: shards.sort(), temporary };
  }

  async function uploadRow(uploadId: string) {
    const [row] = await queryRows<{ status: string; error: string | null; image_id: number | null }>(
      database.db,
      sql`select status, error, image_id from uploads where id = ${uploadId}`,
    );
    return row;
  }

  let firstImageId: number;

  it("stores a 48x48 gray PNG as an unlabelled training image of its uploader and deletes the temporary object", async () => {
    const png = await encodeGrayPng(faces[0].pixels, 48, 48);
    const signed = await signAndPut(alice, png);
    expect(signed.headers).toEqual({ "content-type": "image/png" });
    const key = `uploads/tmp/${alice}/${signed.uploadId}.png`;
    expect(await store.head(key)).toMatchObject({ size: png.length });

    const done = await completeUpload(database.db, store, { userId: alice, uploadId: signed.uploadId });
    firstImageId = done.imageId;
    expect(done).toEqual({ uploadId: signed.uploadId, imageId: done.imageId, imageUrl: `/api/images/${done.imageId}` });

    const [image] = await queryRows<{ split: string; status: string; uploaded_by: string; source_count: number }>(
      database.db,
      sql`select split, status, uploaded_by, source_count from images where id = ${done.imageId}`,
    );
    expect(image).toEqual({ split: "train", status: "active", uploaded_by: alice, source_count: 1 });
    const sources = await queryRows(
      database.db,
      sql`select source, source_ref, declared_split, original_label, import_job_id from image_sources where image_id = ${done.imageId}`,
    );
    expect(sources).toEqual([
      {
        source: "upload",
        source_ref: signed.uploadId,
        declared_split: "train",
        original_label: null,
        import_job_id: null,
      },
    ]);
    const labels = await queryRows(database.db, sql`select id from annotations where image_id = ${done.imageId}`);
    expect(labels).toEqual([]);

    const location = await getImage(database.db, done.imageId);
    const pixels = await readFace(store, location!);
    expect(Buffer.from(pixels)).toEqual(Buffer.from(faces[0].pixels));
    expect(location!.storageKey.startsWith(FACE_SHARD_PREFIX)).toBe(true);

    expect(await store.head(key)).toBeNull();
    expect(await uploadRow(signed.uploadId)).toEqual({ status: "completed", error: null, image_id: done.imageId });
    expect(await listUploadedFaces(database.db, alice, 10)).toEqual([
      expect.objectContaining({ uploadId: signed.uploadId, imageId: done.imageId }),
    ]);

    // A retried completion answers the same image and stores nothing more.
    const before = await snapshot();
    expect(await completeUpload(database.db, store, { userId: alice, uploadId: signed.uploadId })).toEqual(done);
    expect(await snapshot()).toEqual(before);
  });

  it("accepts an RGBA PNG whose channels are equal (what canvas.toBlob makes)", async () => {
    const rgba = await sharp(Buffer.from(faces[1].pixels), gray48)
      .toColourspace("srgb")
      .ensureAlpha(1)
      .png()
      .toBuffer();
    const signed = await signAndPut(bob, rgba);
    const done = await completeUpload(database.db, store, { userId: bob, uploadId: signed.uploadId });
    const pixels = await readFace(store, (await getImage(database.db, done.imageId))!);
    expect(Buffer.from(pixels)).toEqual(Buffer.from(faces[1].pixels));
  });

  describe("refuses bad files with a clear error and writes nothing", () => {
    const cases: Array<[string, () => Promise<Uint8Array>, number, string | RegExp]> = [
      [
        "a 64x64 PNG",
        () =>
          sharp(Buffer.alloc(64 * 64, 90), { raw: { width: 64, height: 64, channels: 1 } })
            .png()
            .toBuffer(),
        400,
        "not 48x48 (got 64x64)",
      ],
      [
        "an RGB PNG",
        async () => {
          const rgb = Buffer.alloc(FACE_PIXELS * 3);
          for (let i = 0; i < FACE_PIXELS; i++) rgb.set([faces[2].pixels[i], 40, 200], i * 3);
          return sharp(rgb, { raw: { width: 48, height: 48, channels: 3 } })
            .png()
            .toBuffer();
        },
        400,
        /^not grayscale/,
      ],
      [
        "a JPEG labelled as PNG",
        () => sharp(Buffer.from(faces[3].pixels), gray48).jpeg().toBuffer(),
        415,
        "not a PNG (got JPEG data)",
      ],
      [
        "garbage bytes",
        async () => new Uint8Array(3000).map((_, i) => (i * 7919) % 251),
        415,
        "not an image (unreadable bytes)",
      ],
      [
        "a duplicate of a stored face",
        () => encodeGrayPng(faces[0].pixels, 48, 48),
        409,
        /^already in the dataset \(image #\d+\)$/,
      ],
    ];

    for (const [name, make, status, message] of cases) {
      it(name, async () => {
        const body = await make();
        const before = await snapshot();
        const signed = await signAndPut(bob, body);
        expect((await snapshot()).temporary).toEqual([`uploads/tmp/${bob}/${signed.uploadId}.png`]);

        const error = await refusal(completeUpload(database.db, store, { userId: bob, uploadId: signed.uploadId }));
        expect(error.status).toBe(status);
        expect(error.message).toMatch(message);
        expect(await snapshot()).toEqual(before);
        expect(await uploadRow(signed.uploadId)).toEqual({ status: "failed", error: error.message, image_id: null });

        // Completing it again says it was refused, and still writes nothing.
        const again = await refusal(completeUpload(database.db, store, { userId: bob, uploadId: signed.uploadId }));
        expect([again.status, again.message]).toEqual([409, `this upload was already refused: ${error.message}`]);
      });
    }

    it("names the stored image a duplicate matches", async () => {
      const signed = await signAndPut(alice, await encodeGrayPng(faces[0].pixels, 48, 48));
      const error = await refusal(completeUpload(database.db, store, { userId: alice, uploadId: signed.uploadId }));
      expect(error.message).toBe(`already in the dataset (image #${firstImageId})`);
    });
  });

  it("refuses to complete another user's upload, and leaves it to its owner", async () => {
    const signed = await signAndPut(alice, await encodeGrayPng(faces[4].pixels, 48, 48));
    const before = await snapshot();
    const error = await refusal(completeUpload(database.db, store, { userId: bob, uploadId: signed.uploadId }));
    expect([error.status, error.message]).toEqual([404, `no upload ${signed.uploadId} of yours`]);
    expect(await snapshot()).toEqual(before);
    expect((await uploadRow(signed.uploadId)).status).toBe("pending");

    const done = await completeUpload(database.db, store, { userId: alice, uploadId: signed.uploadId });
    expect(done.imageId).toBeGreaterThan(0);
    const unknown = await refusal(completeUpload(database.db, store, { userId: bob, uploadId: "not-an-id" }));
    expect(unknown.status).toBe(404);
  });

  it("rejects a PUT of more bytes, or another type, than were signed; completing then says nothing arrived", async () => {
    const png = await encodeGrayPng(faces[5].pixels, 48, 48);
    const signed = await createUpload(database.db, store, {
      userId: bob,
      contentType: "image/png",
      contentLength: png.length,
    });
    const before = await snapshot();

    const longer = new Uint8Array(png.length + 100);
    longer.set(png);
    const tooLong = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: new Uint8Array(longer) });
    expect(tooLong.status).toBe(403);
    expect(await tooLong.text()).toMatch(/SignatureDoesNotMatch/);
    const otherType = await fetch(signed.url, {
      method: "PUT",
      headers: { "content-type": "image/jpeg" },
      body: new Uint8Array(png),
    });
    expect(otherType.status).toBe(403);
    expect(await snapshot()).toEqual(before);

    const early = await refusal(completeUpload(database.db, store, { userId: bob, uploadId: signed.uploadId }));
    expect([early.status, early.message]).toEqual([
      409,
      "the file has not arrived in storage: upload it first, then complete",
    ]);
    expect(await snapshot()).toEqual(before);

    // The upload stays usable: the agreed bytes, then completing, work.
    expect(
      (await fetch(signed.url, { method: "PUT", headers: signed.headers, body: new Uint8Array(png) })).status,
    ).toBe(200);
    const done = await completeUpload(database.db, store, { userId: bob, uploadId: signed.uploadId });
    expect(done.imageId).toBeGreaterThan(0);
  });

  it("signs only image/png and only up to 64 KB", async () => {
    const jpeg = await refusal(
      createUpload(database.db, store, { userId: bob, contentType: "image/jpeg", contentLength: 2000 }),
    );
    expect([jpeg.status, jpeg.message]).toEqual([415, "unsupported type image/jpeg: uploads are image/png only"]);
    const big = await refusal(
      createUpload(database.db, store, { userId: bob, contentType: "image/png", contentLength: 70_000 }),
    );
    expect([big.status, big.message]).toEqual([413, "too large (68.4 KB; uploads up to 64 KB)"]);
    const empty = await refusal(
      createUpload(database.db, store, { userId: bob, contentType: "image/png", contentLength: 0 }),
    );
    expect(empty.status).toBe(400);
  });

  it("stores a face once when two completions of one upload race", async () => {
    const face = syntheticFaces(1, 99)[0];
    const signed = await signAndPut(alice, await encodeGrayPng(face.pixels, 48, 48));
    const before = await snapshot();
    const results = await Promise.allSettled([
      completeUpload(database.db, store, { userId: alice, uploadId: signed.uploadId }),
      completeUpload(database.db, store, { userId: alice, uploadId: signed.uploadId }),
    ]);
    const stored = results.filter((r) => r.status === "fulfilled");
    expect(stored.length).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      if (r.status === "rejected")
        expect((r.reason as UploadError).message).toBe("this upload is being checked already");
    }
    expect((await snapshot()).images).toBe(before.images + 1);
  });

  it("expires abandoned uploads: the next request marks them failed and deletes their objects", async () => {
    const png = await encodeGrayPng(syntheticFaces(1, 5)[0].pixels, 48, 48);
    const longAgo = new Date(Date.now() - 3 * 3600_000);
    const old = await createUpload(database.db, store, {
      userId: bob,
      contentType: "image/png",
      contentLength: png.length,
      now: longAgo,
    });
    // The URL itself is signed with the real clock, so the PUT still works: the object is there, never completed.
    expect((await fetch(old.url, { method: "PUT", headers: old.headers, body: new Uint8Array(png) })).status).toBe(200);

    await createUpload(database.db, store, { userId: bob, contentType: "image/png", contentLength: png.length });
    expect(await uploadRow(old.uploadId)).toMatchObject({ status: "failed", error: "expired before it was completed" });
    expect(await store.head(`uploads/tmp/${bob}/${old.uploadId}.png`)).toBeNull();

    // A periodic sweep over everyone does the same.
    const pending = await signAndPut(alice, png);
    const swept = await deleteAbandonedUploads(database.db, store, { now: new Date(Date.now() + 24 * 3600_000) });
    expect(swept).toBeGreaterThanOrEqual(1);
    expect((await uploadRow(pending.uploadId)).status).toBe("failed");
    expect((await snapshot()).temporary).toEqual([]);
  });
});
