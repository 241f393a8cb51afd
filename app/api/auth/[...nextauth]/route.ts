import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { getAuthOptions } from "@/app/_lib/auth-options";
import { withBodyLimit } from "@/app/_lib/with-body-limit";

/** A sign-in form (email, password, CSRF token, callback URL) is well under this. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

/** next-auth's endpoints: sign-in callbacks, sign-out, CSRF token, session, providers. */
const handler = withBodyLimit(
  MAX_AUTH_BODY_BYTES,
  async (request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> =>
    NextAuth(request, context, getAuthOptions()),
);

export { handler as GET, handler as POST };
