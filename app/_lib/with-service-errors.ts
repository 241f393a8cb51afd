import { storageFailure } from "@/lib/storage/storage-failure";

/**
 * Runs a route handler and turns "storage is down or not answering" into a 503/504 with a message a person
 * understands (and a Retry-After), instead of a bare 500 or a hang. Other errors go on to Next.js unchanged.
 */
export function withServiceErrors<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const failure = storageFailure(error);
      if (!failure) throw error;
      console.error(`storage unavailable (${failure.status}):`, error instanceof Error ? error.message : error);
      return Response.json(
        { error: failure.message },
        { status: failure.status, headers: { "retry-after": "30", "cache-control": "no-store" } },
      );
    }
  };
}
