import { authErrorResponse, readJsonBody } from "@/app/_lib/auth";
import { parseSignUp } from "@/lib/auth/credentials";
import { signUp } from "@/lib/auth/sign-up";
import { getServices } from "@/lib/runtime/app-services";

/**
 * Creates a password account: { email, password, name? } → 201 { user }. The first account of an install becomes
 * admin. 400 for invalid input, 409 for a taken email. Signing in is a separate step (next-auth's credentials).
 */
export async function POST(request: Request) {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const input = parseSignUp(read.body);
  if (!input.ok) return Response.json({ error: input.error }, { status: 400 });
  const { db } = await getServices();
  try {
    const user = await signUp(db, input.value);
    return Response.json({ user }, { status: 201 });
  } catch (error) {
    return authErrorResponse(error);
  }
}
