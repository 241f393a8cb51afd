import { describe, expect, it } from "vitest";
import { hasRole, isRole, ROLES, roleRank } from "./roles";

describe("roles", () => {
  it("orders annotator < researcher < admin", () => {
    expect(ROLES).toEqual(["annotator", "researcher", "admin"]);
    expect(roleRank("annotator")).toBeLessThan(roleRank("researcher"));
    expect(roleRank("researcher")).toBeLessThan(roleRank("admin"));
  });

  it("grants a role and every role below it, never one above", () => {
    const table = ROLES.map((held) => ROLES.map((needed) => hasRole({ role: held }, needed)));
    expect(table).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });

  it("grants nothing to a signed-out visitor", () => {
    for (const role of ROLES) {
      expect(hasRole(null, role)).toBe(false);
      expect(hasRole(undefined, role)).toBe(false);
    }
  });

  it("recognises only the three role names", () => {
    expect(isRole("admin")).toBe(true);
    expect(isRole("Admin")).toBe(false);
    expect(isRole("owner")).toBe(false);
    expect(isRole(2)).toBe(false);
  });
});
