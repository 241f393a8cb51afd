import type { Role } from "./roles";

/** Who is signed in, as every guard and page sees it. `role` is the current one from the database. */
export interface SessionUser {
  /** users.id (uuid) */
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

/** A row of the admin's user list. */
export interface UserListItem extends SessionUser {
  createdAt: Date;
  hasPassword: boolean;
  /** OAuth providers linked to the account ("github"). */
  providers: string[];
}
