import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { LoginThrottle } from "@/lib/auth/login-throttle";
import GitHubProvider from "next-auth/providers/github";
import { AuthError } from "@/lib/auth/auth-error";
import { authenticatePassword } from "@/lib/auth/authenticate-password";
import { resolveRedirect } from "@/lib/auth/callback-url";
import { pickGitHubEmail } from "@/lib/auth/github-email";
import { linkOAuthAccount } from "@/lib/auth/link-oauth-account";
import { isRole } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/types";
import { findUserByAccount, getUser } from "@/lib/auth/users";
import { type Env, loadEnv } from "@/lib/config/env";
import { getServices } from "@/lib/runtime/app-services";

let cachedEnv: Env | undefined;
/** The server's environment, validated once: it does not change while the process runs. */
function serverEnv(): Env {
  cachedEnv ??= loadEnv();
  return cachedEnv;
}

const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** The secret that signs session tokens. `npm start` always provides one (generated into DATA_DIR when unset). */
export function authSecret(): string {
  const secret = serverEnv().NEXTAUTH_SECRET;
  if (!secret) {
    throw new Error(
      "NEXTAUTH_SECRET is not set: start faceloop with `npm start` (it generates one) or set it yourself",
    );
  }
  return secret;
}

/** Whether GitHub sign-in is configured (both GITHUB_ID and GITHUB_SECRET set). */
export function gitHubSignInEnabled(): boolean {
  const env = serverEnv();
  return Boolean(env.GITHUB_ID && env.GITHUB_SECRET);
}

let cached: NextAuthOptions | undefined;

/**
 * next-auth's configuration: email + password always, GitHub when configured; JWT sessions carrying the user id
 * and role. The role in the token is only a hint (shown by /api/auth/session, refreshed from the database each
 * time the session is read); every guard reads the current role from the database, so a promotion or demotion
 * takes effect on the user's next request.
 */
export function getAuthOptions(): NextAuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

const globalForThrottle = globalThis as unknown as { faceloopLoginThrottle?: LoginThrottle };
function loginThrottle(): LoginThrottle {
  return (globalForThrottle.faceloopLoginThrottle ??= new LoginThrottle());
}

/** The caller's address as the server sees it (first X-Forwarded-For hop: Next's own server and hosts set it). */
function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"] ?? headers?.["x-real-ip"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : String(forwarded ?? "")).split(",")[0].trim();
  return first || "unknown";
}

function buildAuthOptions(): NextAuthOptions {
  const env = serverEnv();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const account = String(credentials?.email ?? "").slice(0, 320);
        const address = clientAddress(request?.headers);
        const verdict = loginThrottle().check(account, address);
        // next-auth hands a thrown message to the sign-in form, which shows it as it is.
        if (!verdict.allowed) throw new Error(verdict.message);
        const { db } = await getServices();
        const user = await authenticatePassword(db, credentials);
        if (user) loginThrottle().recordSuccess(account);
        else loginThrottle().recordFailure(account, address);
        return user ? toNextAuthUser(user) : null;
      },
    }),
  ];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(
      GitHubProvider({
        clientId: env.GITHUB_ID,
        clientSecret: env.GITHUB_SECRET,
        // Always ask GitHub which addresses it has verified: the profile's email is not enough to link accounts on.
        userinfo: {
          url: "https://api.github.com/user",
          async request({ client, tokens }) {
            const profile = await client.userinfo(tokens.access_token!);
            const response = await fetch("https://api.github.com/user/emails", {
              headers: { Authorization: `token ${tokens.access_token}`, "User-Agent": "faceloop" },
            });
            return { ...profile, email: (response.ok ? pickGitHubEmail(await response.json()) : null) ?? undefined };
          },
        },
      }),
    );
  }

  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "github") return true;
        try {
          const { db } = await getServices();
          await linkOAuthAccount(db, {
            provider: "github",
            providerAccountId: account.providerAccountId,
            email: user.email ?? null,
            name: user.name ?? null,
          });
          return true;
        } catch (error) {
          if (error instanceof AuthError) return `/signin?error=${encodeURIComponent("GitHubNoEmail")}`;
          throw error;
        }
      },
      async jwt({ token, user, account }) {
        const { db } = await getServices();
        let current: SessionUser | null;
        if (account?.provider === "github") {
          // The token's subject must be faceloop's user id, not GitHub's: look up the user signIn linked.
          current = await findUserByAccount(db, "github", account.providerAccountId);
          if (!current) throw new Error("GitHub sign-in finished without a linked user");
        } else if (user) {
          current = fromNextAuthUser(user);
        } else {
          current = token.sub ? await getUser(db, token.sub) : null;
        }
        if (!current) return token;
        return { ...token, sub: current.id, email: current.email, name: current.name, role: current.role };
      },
      async session({ session, token }) {
        return {
          ...session,
          user: { id: token.sub, email: token.email, name: token.name ?? null, role: token.role },
        };
      },
      async redirect({ url, baseUrl }) {
        return resolveRedirect(url, baseUrl);
      },
    },
  };
}

function toNextAuthUser(user: SessionUser): User {
  return { id: user.id, email: user.email, name: user.name, role: user.role } as User;
}

function fromNextAuthUser(user: User): SessionUser | null {
  const role = (user as { role?: unknown }).role;
  if (!user.email || !isRole(role)) return null;
  return { id: user.id, email: user.email, name: user.name ?? null, role };
}
