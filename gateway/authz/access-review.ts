/**
 * Authorization of the standalone path: a SubjectAccessReview on the hub for the verified
 * caller and the gateway resource the request touches (`clustergateways`, `clustergateways/
 * proxy` or `clustergateways/health` in `cluster.core.oam.dev`, name = cluster), with the verb
 * kube-apiserver would derive. So one RBAC rule on the hub governs both ways in. Decisions are
 * cached briefly; a hub that cannot answer is `UpstreamUnavailableError`, never "allowed".
 *
 * Front-proxy identities are not reviewed again: the hub authorised them before forwarding.
 */
import { ForbiddenError, UpstreamUnavailableError } from "../../core/errors.js";
import { GATEWAY_GROUP, GATEWAY_VERSION } from "../../core/cluster/types.js";
import type { Clock } from "../deps.js";
import type { Identity } from "../identity.js";

/** What is being done to which gateway resource. */
export interface GatewayAccess {
  readonly verb: string;
  /** "" for the clustergateways object itself, or "proxy" / "health". */
  readonly subresource: string;
  /** The cluster; "" for the collection. */
  readonly name: string;
}

/** The `spec` of an authorization.k8s.io/v1 SubjectAccessReview. */
export interface AccessReviewSpec {
  readonly user: string;
  readonly uid?: string;
  readonly groups: string[];
  readonly extra: Record<string, string[]>;
  readonly resourceAttributes: {
    readonly group: string;
    readonly version: string;
    readonly resource: string;
    readonly subresource?: string;
    readonly name?: string;
    readonly verb: string;
  };
}

export interface ReviewResult {
  readonly allowed: boolean;
  readonly reason?: string;
}

/** Posts a SubjectAccessReview to the hub with the gateway's credential. */
export type ReviewFn = (spec: AccessReviewSpec) => Promise<ReviewResult>;

export interface Authorizer {
  /** Resolves when allowed; `ForbiddenError` when not. */
  authorize(identity: Identity, access: GatewayAccess): Promise<void>;
}

/** The review asking whether `identity` may do `access` (pure). */
export function accessReviewSpec(identity: Identity, access: GatewayAccess): AccessReviewSpec {
  return {
    user: identity.user,
    ...(identity.uid === undefined ? {} : { uid: identity.uid }),
    groups: [...identity.groups],
    extra: Object.fromEntries(Object.entries(identity.extra).map(([k, v]) => [k, [...v]])),
    resourceAttributes: {
      group: GATEWAY_GROUP,
      version: GATEWAY_VERSION,
      resource: "clustergateways",
      ...(access.subresource === "" ? {} : { subresource: access.subresource }),
      ...(access.name === "" ? {} : { name: access.name }),
      verb: access.verb,
    },
  };
}

/** kube-apiserver's wording for a denied request (pure). */
export function forbiddenMessage(identity: Identity, access: GatewayAccess): string {
  const resource =
    access.subresource === "" ? "clustergateways" : `clustergateways/${access.subresource}`;
  const scope = access.name === "" ? "at the cluster scope" : `"${access.name}"`;
  return `clustergateways.${GATEWAY_GROUP} ${scope} is forbidden: User "${identity.user}" cannot ${access.verb} resource "${resource}" in API group "${GATEWAY_GROUP}"`;
}

export interface AccessReviewOptions {
  readonly review: ReviewFn;
  readonly clock: Clock;
  /** How long a decision is reused; default 10 s. */
  readonly ttlMs?: number;
  /** Upper bound on cached decisions; default 10 000. */
  readonly maxEntries?: number;
}

export function createAccessReviewAuthorizer(options: AccessReviewOptions): Authorizer {
  const ttl = options.ttlMs ?? 10_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { allowed: boolean; until: number }>();

  const decide = async (spec: AccessReviewSpec): Promise<boolean> => {
    const key = JSON.stringify(spec);
    const now = options.clock.now();
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > now) return hit.allowed;
    let result: ReviewResult;
    try {
      result = await options.review(spec);
    } catch (error) {
      throw new UpstreamUnavailableError("cannot authorize: the hub did not answer", {
        cause: error,
      });
    }
    if (cache.size >= maxEntries) cache.clear();
    cache.set(key, { allowed: result.allowed, until: now + ttl });
    return result.allowed;
  };

  return {
    async authorize(identity, access) {
      if (identity.via === "front-proxy") return;
      if (!(await decide(accessReviewSpec(identity, access)))) {
        throw new ForbiddenError(forbiddenMessage(identity, access));
      }
    },
  };
}
