/**
 * The gateway's fixed pipeline (house style §8): authenticate → authorize → resolve, ending in
 * a plan for the proxy step: the cluster's target, the path the member receives and the
 * outbound headers (inbound credentials stripped, the member credential and, with
 * impersonation on, the caller added). Shared by ordinary requests and upgrades.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { NotFoundError } from "../core/errors.js";
import { GATEWAY_GROUP, type ClusterRecord } from "../core/cluster/types.js";
import type { Authenticator } from "./authn/authenticate.js";
import type { Authorizer, GatewayAccess } from "./authz/access-review.js";
import { outboundHeaders, type Identity, type IdentityHeaderNames } from "./identity.js";
import { parseKubeRequest } from "./kube-path.js";
import type { ClusterTarget, ProxyPool } from "./proxy/pool.js";
import type { ClusterCache } from "./registry/cluster-cache.js";
import type { GatewayRoute } from "./routes.js";

export interface PipelineDeps {
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  readonly registry: ClusterCache;
  readonly pool: ProxyPool;
  /** Present callers to members with Impersonate-* headers (default off, as in KubeVela). */
  readonly impersonate: boolean;
  /** The hub's request-header names, stripped like the standard ones. */
  readonly requestHeaderNames?: IdentityHeaderNames;
}

export interface ProxyPlan {
  readonly identity: Identity;
  readonly target: ClusterTarget;
  /** Path and query for the member. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** What a request to the gateway's own URL does, as the hub's aggregator would see it (pure). */
export function accessOf(method: string, rawUrl: string): GatewayAccess {
  const info = parseKubeRequest(method, rawUrl);
  return { verb: info.verb, subresource: info.subresource, name: info.name };
}

/** The registered cluster `name`; `NotFoundError` (404) when there is none. */
export function resolveCluster(registry: ClusterCache, name: string): ClusterRecord {
  const record = registry.get(name);
  if (record === undefined) {
    throw new NotFoundError(`clustergateways.${GATEWAY_GROUP} "${name}" not found`);
  }
  return record;
}

/** Authenticates and authorises `req` for its route; returns the caller. */
export async function admit(
  deps: Pick<PipelineDeps, "authenticator" | "authorizer">,
  req: IncomingMessage,
  rawUrl: string,
): Promise<Identity> {
  const identity = await deps.authenticator.authenticate(req);
  await deps.authorizer.authorize(identity, accessOf(req.method ?? "GET", rawUrl));
  return identity;
}

/** Runs authenticate → authorize → resolve for a proxied request at `rawUrl`. */
export async function planProxy(
  deps: PipelineDeps,
  req: IncomingMessage,
  rawUrl: string,
  route: Extract<GatewayRoute, { kind: "proxy" }>,
): Promise<ProxyPlan> {
  const identity = await admit(deps, req, rawUrl);
  const target = deps.pool.targetFor(resolveCluster(deps.registry, route.cluster));
  const headers = outboundHeaders(req.headers, {
    ...(target.bearerToken === undefined ? {} : { bearerToken: target.bearerToken }),
    ...(deps.impersonate ? { impersonate: identity } : {}),
    ...(deps.requestHeaderNames === undefined ? {} : { alsoStrip: deps.requestHeaderNames }),
  });
  return { identity, target, path: route.path, headers };
}
