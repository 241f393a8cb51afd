/**
 * Slows password guessing: after too many failed sign-ins for one account, or from one address, within a window,
 * further attempts are refused (without checking the password) until the window has passed. Per account stops a
 * guesser who rotates addresses; per address stops one who rotates accounts. Kept in the server process's memory:
 * one `npm start` is one process; several serverless instances would each count on their own (see README).
 */
export interface LoginThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleLimits = { perAccount: 5, perAddress: 30, windowMs: 15 * 60_000 };
/** Bounds memory under a flood of distinct keys; the oldest entries go first. */
const MAX_KEYS = 100_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  check(account: string, address: string): ThrottleVerdict {
    const byAccount = this.recent(`account:${account.toLowerCase()}`);
    const byAddress = this.recent(`address:${address}`);
    const blocked =
      byAccount.length >= this.limits.perAccount
        ? { list: byAccount, what: "for this account" }
        : byAddress.length >= this.limits.perAddress
          ? { list: byAddress, what: "from your address" }
          : null;
    if (!blocked) return { allowed: true };
    const retryAfterSeconds = Math.max(1, Math.ceil((blocked.list[0] + this.limits.windowMs - this.now()) / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    return {
      allowed: false,
      retryAfterSeconds,
      message: `Too many failed sign-ins ${blocked.what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }

  recordFailure(account: string, address: string): void {
    for (const key of [`account:${account.toLowerCase()}`, `address:${address}`]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.delete(key); // re-insert: the map's order is then oldest activity first
      this.failures.set(key, list);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  /** A correct password clears the account's count (not the address's: one success must not unlock a spray). */
  recordSuccess(account: string): void {
    this.failures.delete(`account:${account.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }
}
