/**
 * The browser half of an upload: ask the server for a presigned PUT for exactly these bytes, PUT them straight to
 * S3 (with progress), then ask the server to check and store the face. Every failure becomes an Error whose
 * message is fit to show next to the file.
 */
export interface SentFace {
  uploadId: string;
  imageId: number;
  imageUrl: string;
}

export type SendStage = { stage: "uploading"; fraction: number } | { stage: "checking" };

export async function sendFace(png: Uint8Array, onStage: (stage: SendStage) => void): Promise<SentFace> {
  const signed = await postJson<{ uploadId: string; url: string; headers: Record<string, string> }>(
    "/api/uploads/presign",
    {
      contentType: "image/png",
      contentLength: png.length,
    },
  );
  onStage({ stage: "uploading", fraction: 0 });
  await putWithProgress(
    signed.url,
    signed.headers,
    new Blob([png as Uint8Array<ArrayBuffer>], { type: "image/png" }),
    (fraction) => onStage({ stage: "uploading", fraction }),
  );
  onStage({ stage: "checking" });
  return postJson<SentFace>("/api/uploads/complete", { uploadId: signed.uploadId });
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error("could not reach the server");
  }
  const payload = (await response.json().catch(() => null)) as { error?: string } | null;
  if (!response.ok) {
    if (response.status === 401) throw new Error("signed out: sign in again to upload");
    throw new Error(payload?.error ?? `the server answered ${response.status}`);
  }
  return payload as T;
}

function putWithProgress(
  url: string,
  headers: Record<string, string>,
  body: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText)?.[1];
        reject(new Error(`storage refused the upload (${xhr.status}${code ? ` ${code}` : ""})`));
      }
    };
    xhr.onerror = () => reject(new Error("could not reach the storage server"));
    xhr.send(body);
  });
}
