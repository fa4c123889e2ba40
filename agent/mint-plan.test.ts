import { describe, expect, it } from "vitest";
import {
  attempted,
  hasUsableToken,
  initialMintState,
  MAX_MINT_BACKOFF_MS,
  mintBackoffMs,
  minted,
  mintFailed,
  nextMintAt,
  unauthorized,
} from "./mint-plan.js";

const hour = 3_600_000;
const times = { issuedAt: 10_000, expiresAt: 10_000 + hour };

describe("when the agent mints a working hub token", () => {
  it("mints at once at start, then at 80 % of the token's lifetime", () => {
    expect(nextMintAt(initialMintState, 5_000)).toBe(5_000);
    const state = minted(attempted(initialMintState, 10_000), "t1", times);
    expect(hasUsableToken(state, 11_000)).toBe(true);
    expect(nextMintAt(state, 11_000)).toBe(10_000 + 0.8 * hour);
  });

  it("mints at once after a long outage: the token held has expired", () => {
    const state = minted(attempted(initialMintState, 10_000), "t1", times);
    const later = times.expiresAt + 24 * hour;
    expect(hasUsableToken(state, later)).toBe(false);
    expect(nextMintAt(state, later)).toBe(later);
  });

  it("drops the current token on a 401 and mints at once", () => {
    const state = minted(attempted(initialMintState, 10_000), "t1", times);
    const refused = unauthorized(state, "t1");
    expect(refused.token).toBeUndefined();
    expect(hasUsableToken(refused, 20_000)).toBe(false);
    expect(nextMintAt(refused, 20_000)).toBe(20_000);
  });

  it("keeps the current token on a 401 for an older one", () => {
    const state = minted(attempted(initialMintState, 10_000), "t2", times);
    expect(unauthorized(state, "t1")).toBe(state);
    expect(unauthorized(state, undefined)).toBe(state);
  });

  it("never mints twice within a second, even when the fresh token is refused", () => {
    const state = unauthorized(minted(attempted(initialMintState, 10_000), "t1", times), "t1");
    expect(nextMintAt(state, 10_200)).toBe(11_000);
  });

  it("backs off after failures (1 s, 2 s, 4 s … 60 s) and never gives up", () => {
    expect([1, 2, 3, 7, 8, 50].map(mintBackoffMs)).toEqual([
      1_000,
      2_000,
      4_000,
      60_000,
      MAX_MINT_BACKOFF_MS,
      MAX_MINT_BACKOFF_MS,
    ]);
    let state = attempted(initialMintState, 0);
    for (let i = 0; i < 10; i++) state = attempted(mintFailed(state), 100_000 * i);
    state = mintFailed(state);
    expect(state.failures).toBe(11);
    expect(nextMintAt(state, 900_000)).toBe(900_000 + MAX_MINT_BACKOFF_MS);
  });

  it("retries a failed renewal while the token held is still valid, and then forgets failures", () => {
    const held = minted(attempted(initialMintState, 10_000), "t1", times);
    const due = 10_000 + 0.8 * hour;
    const failed = mintFailed(attempted(held, due));
    expect(hasUsableToken(failed, due + 1)).toBe(true);
    expect(nextMintAt(failed, due + 1)).toBe(due + 1_000);
    const renewed = minted(attempted(failed, due + 1_000), "t2", {
      issuedAt: due + 1_000,
      expiresAt: due + 1_000 + hour,
    });
    expect(renewed.failures).toBe(0);
    expect(nextMintAt(renewed, due + 2_000)).toBe(due + 1_000 + 0.8 * hour);
  });
});
