import type { Role } from "../../db/schema";

export type { Role };

/** Lowest to highest: each role can do everything the roles before it can. */
export const ROLES = ["annotator", "researcher", "admin"] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** Whether `user` (signed in, or null when signed out) holds at least `minRole`. */
export function hasRole(user: { role: Role } | null | undefined, minRole: Role): boolean {
  return user != null && roleRank(user.role) >= roleRank(minRole);
}
