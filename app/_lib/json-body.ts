import type { z } from "zod";

/** A zod failure as a 400 answer naming the first bad field. */
export function invalidInput(error: z.ZodError, headers?: HeadersInit): Response {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return Response.json({ error: `${where}${issue.message}` }, { status: 400, headers });
}

/** A small JSON body checked against a schema: the parsed value, or the 4xx answer to send. */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  options: { maxBytes?: number; headers?: HeadersInit } = {},
): Promise<{ data: T } | { response: Response }> {
  const read = await readJsonBody(request, options.maxBytes ?? 4 * 1024);
  if (!read.ok) return { response: read.response };
  const parsed = schema.safeParse(read.body);
  return parsed.success ? { data: parsed.data } : { response: invalidInput(parsed.error, options.headers) };
}

/**
 * A small JSON request body: 415 unless it says it is JSON, 413 beyond `maxBytes`, 400 unless it parses. Requiring
 * the JSON content type also keeps plain cross-site form posts out.
 */
export async function readJsonBody(
  request: Request,
  maxBytes = 16 * 1024,
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const refuse = (status: number, error: string) => ({
    ok: false as const,
    response: Response.json({ error }, { status }),
  });
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
    return refuse(415, "send the request body as application/json");
  }
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    return refuse(413, `request body is larger than ${maxBytes} bytes`);
  }
  const text = await readText(request, maxBytes);
  if (text === null) return refuse(413, `request body is larger than ${maxBytes} bytes`);
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return refuse(400, "request body is not valid JSON");
  }
}

/** The body as text, or null once it passes `maxBytes` (stops reading there, whatever content-length claimed). */
async function readText(request: Request, maxBytes: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join("") + decoder.decode();
}
