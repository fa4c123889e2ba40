/**
 * When the agent mints a working hub token with its bootstrap credential — pure, so the
 * schedule is tested with plain numbers (docs/adr/0017-agent-credential.md):
 *
 * - without a usable token (at start, after expiry, after the hub refused it with 401): now;
 * - with one: at 80 % of its lifetime (`renewAt`, as the kubelet rotates projected tokens);
 * - after failed attempts: with a backoff of 1 s, 2 s, 4 s … capped at 60 s, forever (the
 *   bootstrap credential does not expire, so giving up would only leave the agent dead);
 * - never twice within `MIN_MINT_INTERVAL_MS`, so a hub that keeps refusing fresh tokens
 *   cannot make the agent spin.
 *
 * A 401 for a token that is no longer the current one (a request sent just before a renewal)
 * only retries with the current token; a 401 for the current token drops it.
 */
import { renewAt, type TokenTimes } from "./token.js";

export const MIN_MINT_INTERVAL_MS = 1_000;
export const MAX_MINT_BACKOFF_MS = 60_000;

export interface MintState {
  /** The working token in use and its times, if one is held. */
  readonly token?: string;
  readonly times?: TokenTimes;
  /** Consecutive failed mints since the last success. */
  readonly failures: number;
  /** When the last mint was attempted (clock ms). */
  readonly lastAttemptAt?: number;
}

export const initialMintState: MintState = { failures: 0 };

/** The delay before retrying after `failures` consecutive failures. */
export const mintBackoffMs = (failures: number): number =>
  failures <= 0 ? 0 : Math.min(MAX_MINT_BACKOFF_MS, 1_000 * 2 ** (failures - 1));

/** Whether `state` holds a token that has not expired at `now`. */
export const hasUsableToken = (state: MintState, now: number): boolean =>
  state.token !== undefined && state.times !== undefined && now < state.times.expiresAt;

/** When the next mint is due (clock ms; `now` or earlier means at once). */
export function nextMintAt(state: MintState, now: number): number {
  const last = state.lastAttemptAt;
  const floor = last === undefined ? now : last + MIN_MINT_INTERVAL_MS;
  if (state.failures > 0 && last !== undefined)
    return Math.max(floor, last + mintBackoffMs(state.failures));
  if (!hasUsableToken(state, now)) return Math.max(now, floor);
  return Math.max(renewAt(state.times as TokenTimes), floor);
}

/** A mint is starting at `now`. */
export const attempted = (state: MintState, now: number): MintState => ({
  ...state,
  lastAttemptAt: now,
});

/** A mint succeeded: `token` is used from now on. */
export const minted = (state: MintState, token: string, times: TokenTimes): MintState => ({
  ...state,
  token,
  times,
  failures: 0,
});

/** A mint failed; the token held (if still valid) stays in use. */
export const mintFailed = (state: MintState): MintState => ({
  ...state,
  failures: state.failures + 1,
});

/**
 * The hub answered 401 to a request sent with `sentToken`: when it is the current token, the
 * token is dropped (a mint is then due); an older token changes nothing.
 */
export function unauthorized(state: MintState, sentToken: string | undefined): MintState {
  if (sentToken === undefined || sentToken !== state.token) return state;
  const { failures, lastAttemptAt } = state;
  return lastAttemptAt === undefined ? { failures } : { failures, lastAttemptAt };
}
