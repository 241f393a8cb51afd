import { describe, expect, it } from "vitest";
import { MAX_DATABASE_ID, parseDatabaseId } from "./parse-database-id";

describe("parseDatabaseId", () => {
  it("reads plain decimal ids within a Postgres integer", () => {
    expect(parseDatabaseId("1")).toBe(1);
    expect(parseDatabaseId("2147483647")).toBe(MAX_DATABASE_ID);
  });

  it.each([
    "0",
    "-1",
    "2147483648",
    "9999999999",
    "99999999999999999999",
    "0x10",
    "1e3",
    "1.0",
    "010",
    " 7",
    "7 ",
    "+7",
    "",
    "abc",
    "１",
  ])("refuses %j", (text) => expect(parseDatabaseId(text)).toBeNull());
});
