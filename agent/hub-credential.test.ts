import { describe, expect, it } from "vitest";
import { silentLogger } from "../core/controller/logger.js";
import { UnauthenticatedError, UpstreamUnavailableError } from "../core/errors.js";
import { FakeClock, flushPromises } from "../core/testing/fake-clock.js";
import { startHubCredential } from "./hub-credential.js";

const hour = 3_600_000;

/** A bound-token-shaped JWT issued at `now` (ms) for `seconds`. */
const jwt = (n: number, now: number, seconds: number): string =>
  [
    "e30",
    Buffer.from(
      JSON.stringify({ iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + seconds, n }),
    ).toString("base64url"),
    "sig",
  ].join(".");

/** A token source that answers from `outcomes` ("ok", an error, or one by time), then "ok". */
type Outcome = "ok" | Error | ((now: number) => "ok" | Error);
function source(clock: FakeClock, outcomes: Outcome[] = []) {
  const asked: number[] = [];
  const requestToken = (seconds: number): Promise<string> => {
    asked.push(clock.now());
    const next =
      outcomes.length > 1 || typeof outcomes[0] !== "function" ? outcomes.shift() : outcomes[0];
    const outcome = (typeof next === "function" ? next(clock.now()) : next) ?? "ok";
    return outcome === "ok"
      ? Promise.resolve(jwt(asked.length, clock.now(), seconds))
      : Promise.reject(outcome);
  };
  return { asked, requestToken };
}

function start(clock: FakeClock, outcomes?: Outcome[]) {
  const tokens: string[] = [];
  const src = source(clock, outcomes);
  const credential = startHubCredential({
    requestToken: src.requestToken,
    lifetimeMs: hour,
    onToken: (t) => tokens.push(t),
    clock,
    log: silentLogger,
  });
  return { credential, tokens, asked: src.asked };
}

describe("the agent's working hub token, minted with the bootstrap credential", () => {
  it("mints at start and again at 80 % of the lifetime, in memory", async () => {
    const clock = new FakeClock(1_000_000);
    const { credential, tokens, asked } = start(clock);
    await credential.ready();
    expect(asked).toEqual([1_000_000]);
    expect(credential.token()).toBe(tokens[0]);
    await clock.advance(0.8 * hour - 1);
    expect(asked).toHaveLength(1);
    await clock.advance(1);
    expect(asked).toEqual([1_000_000, 1_000_000 + 0.8 * hour]);
    expect(credential.token()).toBe(tokens[1]);
    credential.stop();
  });

  it("mints a new token at once when the hub refuses the current one, and only once", async () => {
    const clock = new FakeClock(1_000_000);
    const { credential, asked } = start(clock);
    await credential.ready();
    await clock.advance(60_000);
    const refused = credential.token();
    const [a, b] = await Promise.all([credential.refused(refused), credential.refused(refused)]);
    expect([a, b]).toEqual([true, true]);
    expect(asked).toEqual([1_000_000, 1_060_000]);
    expect(credential.token()).not.toBe(refused);
    // A 401 for the old token, answered late, changes nothing.
    expect(await credential.refused(refused)).toBe(true);
    expect(asked).toHaveLength(2);
    credential.stop();
  });

  it("keeps retrying with a backoff while the hub refuses the bootstrap credential", async () => {
    const clock = new FakeClock(0);
    const revoked = () => new UnauthenticatedError("hub POST .../token: Unauthorized");
    const { credential, asked } = start(clock, [revoked(), revoked(), revoked()]);
    await flushPromises();
    await expect(credential.ready()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await clock.advance(1_000);
    await clock.advance(2_000);
    expect(asked).toEqual([0, 1_000, 3_000]);
    await clock.advance(4_000);
    expect(asked).toEqual([0, 1_000, 3_000, 7_000]);
    await credential.ready();
    expect(credential.token()).toBeDefined();
    credential.stop();
  });

  it("recovers after an outage longer than the token's lifetime", async () => {
    const clock = new FakeClock(0);
    // The hub is unreachable from 0.5 h to 4 h: the token expires at 1 h.
    const down = (now: number) =>
      now < 4 * hour ? new UpstreamUnavailableError("hub: connect ECONNREFUSED") : "ok";
    const { credential, asked } = start(clock, [
      "ok",
      (now) => (now < 0.5 * hour ? "ok" : down(now)),
    ]);
    await credential.ready();
    await clock.advance(3 * hour);
    expect(credential.token()).toBeDefined(); // held, but expired
    await expect(credential.ready()).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await clock.advance(hour);
    const retries = asked.filter((at) => at > 0.8 * hour && at <= 4 * hour);
    expect(retries.length).toBeGreaterThan(150); // every 60 s at most, never given up
    await clock.advance(60_000);
    await credential.ready();
    expect(asked.at(-1)).toBeLessThanOrEqual(4 * hour + 60_000);
    credential.stop();
  });

  it("stops minting once stopped", async () => {
    const clock = new FakeClock(0);
    const { credential, asked } = start(clock);
    await credential.ready();
    credential.stop();
    await clock.advance(2 * hour);
    expect(asked).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });
});
