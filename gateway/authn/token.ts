/**
 * The standalone path's authentication: Kubernetes ServiceAccount tokens of the hub, verified
 * locally with jose against the hub's JWKS (`/openid/v1/jwks`), the hub's issuer and the
 * gateway's audience. Keys are cached; an unknown key id triggers a refresh, at most once per
 * `minRefreshIntervalMs`, so forged tokens cannot make the gateway hammer the hub.
 *
 * Like kube-apiserver's JWT check, and unlike its TokenReview, this does not look the
 * ServiceAccount up: a token of a deleted ServiceAccount stays valid until it expires.
 *
 * A verified token's identity is remembered for `identityTtlMs` (default 10 s, never past the
 * token's `exp`), as kube-apiserver's token cache does, so a client's stream of requests pays
 * one signature check, not one per request. Rejections are not remembered.
 */
import {
  createLocalJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from "jose";
import { UnauthenticatedError, UpstreamUnavailableError } from "../../core/errors.js";
import { nonEmpty } from "../../core/json.js";
import type { Clock } from "../deps.js";
import type { Identity } from "../identity.js";

export interface TokenVerifier {
  /** The token's ServiceAccount identity; `UnauthenticatedError` for any invalid token,
   * `UpstreamUnavailableError` when no keys could be fetched from the hub. */
  verify(token: string): Promise<Identity>;
}

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Fetches the hub's JWKS with the gateway's own hub credential. */
  readonly fetchJwks: () => Promise<JSONWebKeySet>;
  readonly clock: Clock;
  /** Least time between two refreshes caused by unknown key ids; default 30 s. */
  readonly minRefreshIntervalMs?: number;
  /** Keys older than this are refreshed before use; default 10 min. */
  readonly maxKeyAgeMs?: number;
  /** How long a verified token's identity is reused; default 10 s, 0 turns the cache off. */
  readonly identityTtlMs?: number;
  /** Most tokens remembered at once (oldest dropped first); default 4,096. */
  readonly maxCachedTokens?: number;
}

interface ServiceAccountClaims {
  readonly namespace?: unknown;
  readonly serviceaccount?: { readonly name?: unknown; readonly uid?: unknown };
  readonly pod?: { readonly name?: unknown; readonly uid?: unknown };
  readonly node?: { readonly name?: unknown; readonly uid?: unknown };
}

function boundExtras(claims: ServiceAccountClaims): Record<string, string[]> {
  const extra: Record<string, string[]> = {};
  const add = (key: string, value: unknown): void => {
    const text = nonEmpty(value);
    if (text !== undefined) extra[`authentication.kubernetes.io/${key}`] = [text];
  };
  add("pod-name", claims.pod?.name);
  add("pod-uid", claims.pod?.uid);
  add("node-name", claims.node?.name);
  add("node-uid", claims.node?.uid);
  return extra;
}

/**
 * The identity kube-apiserver gives a verified ServiceAccount token's claims (pure): user
 * `system:serviceaccount:<ns>:<name>`, the ServiceAccount groups, and the bound-object and
 * credential-id extras. Throws `UnauthenticatedError` for tokens that are not ServiceAccount
 * tokens.
 */
export function identityFromClaims(payload: JWTPayload): Identity {
  const claims = (payload["kubernetes.io"] ?? {}) as ServiceAccountClaims;
  const namespace = nonEmpty(claims.namespace);
  const name = nonEmpty(claims.serviceaccount?.name);
  const user = `system:serviceaccount:${namespace}:${name}`;
  if (namespace === undefined || name === undefined || payload.sub !== user) {
    throw new UnauthenticatedError("token is not a Kubernetes ServiceAccount token");
  }
  const extra = boundExtras(claims);
  if (payload.jti !== undefined) {
    extra["authentication.kubernetes.io/credential-id"] = [`JTI=${payload.jti}`];
  }
  const uid = nonEmpty(claims.serviceaccount?.uid);
  return {
    user,
    ...(uid === undefined ? {} : { uid }),
    groups: [
      "system:serviceaccounts",
      `system:serviceaccounts:${namespace}`,
      "system:authenticated",
    ],
    extra,
    via: "token",
  };
}

type KeySet = ReturnType<typeof createLocalJWKSet>;

interface CachedIdentity {
  readonly identity: Identity;
  readonly until: number;
}

/** A bounded map of verified tokens to their identity, each until its own deadline. */
function identityCache(clock: Clock, maxEntries: number) {
  const entries = new Map<string, CachedIdentity>();
  return {
    get(token: string): Identity | undefined {
      const hit = entries.get(token);
      if (hit === undefined) return undefined;
      if (clock.now() < hit.until) return hit.identity;
      entries.delete(token);
      return undefined;
    },
    set(token: string, identity: Identity, until: number): void {
      if (until <= clock.now()) return;
      entries.delete(token);
      entries.set(token, { identity, until });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

/** Creates a verifier; no I/O until the first `verify`. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const minRefresh = options.minRefreshIntervalMs ?? 30_000;
  const maxAge = options.maxKeyAgeMs ?? 600_000;
  let keys: KeySet | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<KeySet | undefined> | undefined;

  const refresh = (): Promise<KeySet | undefined> => {
    pending ??= options
      .fetchJwks()
      .then((jwks) => {
        keys = createLocalJWKSet(jwks);
        return keys;
      })
      .catch(() => keys) // keep the old keys when the hub cannot be reached
      .finally(() => {
        fetchedAt = options.clock.now();
        pending = undefined;
      });
    return pending;
  };

  const currentKeys = async (): Promise<KeySet> => {
    const age = options.clock.now() - fetchedAt;
    // Without keys, retry the hub at most once a second; with keys, refresh when stale.
    const due = keys === undefined ? age >= 1_000 : age > maxAge;
    const set = due ? await refresh() : keys;
    if (set === undefined) throw new UpstreamUnavailableError("cannot fetch the hub's token keys");
    return set;
  };

  const ttl = options.identityTtlMs ?? 10_000;
  const cache = identityCache(options.clock, options.maxCachedTokens ?? 4_096);

  const check = async (token: string, set: KeySet): Promise<Identity> => {
    const { payload } = await jwtVerify(token, set, {
      issuer: options.issuer,
      audience: options.audience,
      currentDate: new Date(options.clock.now()),
      requiredClaims: ["exp"],
    });
    const identity = identityFromClaims(payload);
    const expiry = (payload.exp ?? 0) * 1000;
    cache.set(token, identity, Math.min(options.clock.now() + ttl, expiry));
    return identity;
  };

  return {
    async verify(token) {
      const cached = cache.get(token);
      if (cached !== undefined) return cached;
      const set = await currentKeys();
      try {
        return await check(token, set);
      } catch (error) {
        const unknownKey = error instanceof joseErrors.JWKSNoMatchingKey;
        if (unknownKey && options.clock.now() - fetchedAt >= minRefresh) {
          const fresh = await refresh();
          if (fresh !== undefined) return check(token, fresh).catch(rejectToken);
        }
        return rejectToken(error);
      }
    },
  };
}

function rejectToken(error: unknown): never {
  if (error instanceof UnauthenticatedError) throw error;
  const reason = error instanceof joseErrors.JOSEError ? error.code : "invalid token";
  throw new UnauthenticatedError(`invalid bearer token (${reason})`, { cause: error });
}
