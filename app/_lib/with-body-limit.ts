import { NextRequest } from "next/server";

/**
 * Runs a handler on a request whose body is at most `maxBytes`: 413 beyond that, decided from Content-Length when
 * given and by counting while reading otherwise (a chunked body stops being read at the limit). For handlers that
 * read the body themselves, such as next-auth's, which would otherwise read a 100 MB form whole.
 */
export function withBodyLimit<Context>(
  maxBytes: number,
  handler: (request: NextRequest, context: Context) => Promise<Response>,
): (request: NextRequest, context: Context) => Promise<Response> {
  return async (request, context) => {
    if (!request.body) return handler(request, context);
    const tooLarge = () => Response.json({ error: `request body is larger than ${maxBytes} bytes` }, { status: 413 });
    if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return tooLarge();
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
    const body = Buffer.concat(chunks);
    return handler(new NextRequest(request.url, { method: request.method, headers: request.headers, body }), context);
  };
}
