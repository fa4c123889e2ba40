import { describe, expect, it } from "vitest";
import { renewAt, tokenTimes } from "./token.js";

const jwt = (claims: object): string =>
  ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

describe("token rotation timing", () => {
  it("reads iat and exp of a bound token and renews at 80 % of its lifetime", () => {
    const times = tokenTimes(jwt({ iat: 1_000, exp: 1_000 + 86_400, sub: "x" }));
    expect(times).toEqual({ issuedAt: 1_000_000, expiresAt: 87_400_000 });
    expect(renewAt(times!)).toBe(1_000_000 + 69_120_000);
  });

  it("leaves tokens without times alone", () => {
    expect(tokenTimes("not-a-jwt")).toBeUndefined();
    expect(tokenTimes(jwt({ sub: "legacy" }))).toBeUndefined();
    expect(tokenTimes("a.%%%.c")).toBeUndefined();
    expect(tokenTimes(jwt({ iat: 5, exp: 5 }))).toBeUndefined();
  });
});
