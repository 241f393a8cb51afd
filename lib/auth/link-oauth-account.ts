import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { AuthError } from "./auth-error";
import { insertUser } from "./create-user";
import { ZEmail, ZName } from "./credentials";
import { lockRoles } from "./role-lock";
import type { SessionUser } from "./types";
import { findUserByAccount, findUserByEmail } from "./users";

/** Who the OAuth provider says signed in. `email` must be one the provider has verified (see github-email.ts). */
export interface OAuthIdentity {
  provider: string;
  providerAccountId: string;
  email: string | null;
  name: string | null;
}

export type OAuthLinkPlan =
  | { action: "use-linked"; user: SessionUser }
  | { action: "link-existing"; user: SessionUser }
  | { action: "create"; email: string; name: string | null };

/**
 * What signing in with this identity does: the account already linked to it; else the user with the same
 * verified email (a person who signed up with a password and now uses GitHub gets one account, not two); else a
 * new user, who becomes admin only if no admin exists yet, like any sign-up.
 */
export function planOAuthLink(
  identity: OAuthIdentity,
  found: { linkedUser: SessionUser | null; userWithEmail: SessionUser | null },
): OAuthLinkPlan {
  if (found.linkedUser) return { action: "use-linked", user: found.linkedUser };
  const email = ZEmail.safeParse(identity.email);
  if (!email.success) {
    throw new AuthError("invalid", `your ${identity.provider} account has no verified email address faceloop can use`);
  }
  if (found.userWithEmail) return { action: "link-existing", user: found.userWithEmail };
  const name = ZName.safeParse(identity.name ?? "");
  return { action: "create", email: email.data, name: name.success ? name.data : null };
}

/** Finds, links or creates the user behind an OAuth sign-in (see planOAuthLink), in one transaction. */
export async function linkOAuthAccount(db: Database, identity: OAuthIdentity): Promise<SessionUser> {
  return db.transaction(async (tx) => {
    await lockRoles(tx);
    const linkedUser = await findUserByAccount(tx, identity.provider, identity.providerAccountId);
    const email = ZEmail.safeParse(identity.email);
    const userWithEmail = linkedUser || !email.success ? null : await findUserByEmail(tx, email.data);
    const plan = planOAuthLink(identity, { linkedUser, userWithEmail });
    if (plan.action === "use-linked") return plan.user;

    const user = plan.action === "link-existing" ? plan.user : await createOAuthUser(tx, plan);
    // Provider tokens are not stored: faceloop only needs to know who signed in, not to call GitHub later.
    await tx.execute(
      sql`insert into accounts (user_id, type, provider, provider_account_id)
          values (${user.id}, 'oauth', ${identity.provider}, ${identity.providerAccountId})`,
    );
    return user;
  });
}

async function createOAuthUser(tx: Pick<Database, "execute">, plan: { email: string; name: string | null }) {
  const user = await insertUser(tx, { email: plan.email, name: plan.name, passwordHash: null });
  if (!user) throw new Error(`unreachable: ${plan.email} was free a moment ago under the role lock`);
  return user;
}
