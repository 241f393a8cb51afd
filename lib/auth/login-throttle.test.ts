import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle";

describe("LoginThrottle", () => {
  const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };

  it("refuses an account after its failures, with a message saying when to retry, until the window passes", () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(limits, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.check("Ann@example.com", "10.0.0.1").allowed).toBe(true);
      throttle.recordFailure("Ann@example.com", "10.0.0.1");
    }
    const refused = throttle.check("ann@example.com", "10.0.0.99"); // other address, same account
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    expect(refused.allowed === false && refused.message).toBe(
      "Too many failed sign-ins for this account. Try again in 1 minute.",
    );
    expect(throttle.check("bob@example.com", "10.0.0.99").allowed).toBe(true);
    now += 60_001;
    expect(throttle.check("ann@example.com", "10.0.0.1").allowed).toBe(true);
  });

  it("refuses an address spraying many accounts", () => {
    const throttle = new LoginThrottle(limits, () => 5);
    for (let i = 0; i < 5; i++) throttle.recordFailure(`user${i}@example.com`, "10.0.0.7");
    const refused = throttle.check("someone-new@example.com", "10.0.0.7");
    expect(refused.allowed === false && refused.message).toMatch(/from your address/);
    expect(throttle.check("someone-new@example.com", "10.0.0.8").allowed).toBe(true);
  });

  it("clears an account's count on success, but not its address's", () => {
    const throttle = new LoginThrottle(limits, () => 5);
    for (let i = 0; i < 2; i++) throttle.recordFailure("ann@example.com", "10.0.0.1");
    throttle.recordSuccess("ann@example.com");
    throttle.recordFailure("ann@example.com", "10.0.0.1");
    throttle.recordFailure("ann@example.com", "10.0.0.1");
    expect(throttle.check("ann@example.com", "10.0.0.2").allowed).toBe(true);
  });
});
