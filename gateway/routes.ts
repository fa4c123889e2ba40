/**
 * The gateway's own URL space under `/apis/cluster.core.oam.dev/v1alpha1/clustergateways`
 * (pure). One parser serves ordinary requests and upgraded connections alike, and keeps the
 * proxied path exactly as the client encoded it.
 */
import { GATEWAY_GROUP, GATEWAY_VERSION } from "../core/cluster/types.js";

export const GROUP_VERSION_PATH = `/apis/${GATEWAY_GROUP}/${GATEWAY_VERSION}`;
export const CLUSTERGATEWAYS_PATH = `${GROUP_VERSION_PATH}/clustergateways`;

export type GatewayRoute =
  | { readonly kind: "list" }
  | { readonly kind: "get"; readonly cluster: string }
  | { readonly kind: "health"; readonly cluster: string }
  /** `path` is what the member receives: its path and query, starting with `/`. */
  | { readonly kind: "proxy"; readonly cluster: string; readonly path: string };

function decodeName(segment: string): string | undefined {
  try {
    const name = decodeURIComponent(segment);
    return name === "" || name.includes("/") ? undefined : name;
  } catch {
    return undefined;
  }
}

/** The route below one cluster: `""`, `health` or `proxy[/<path>]` (pure). */
function clusterRoute(
  cluster: string,
  after: string | undefined,
  query: string,
): GatewayRoute | undefined {
  if (after === undefined) return { kind: "get", cluster };
  if (after === "health") return { kind: "health", cluster };
  if (after !== "proxy" && !after.startsWith("proxy/")) return undefined;
  const inner = after.slice("proxy".length);
  return { kind: "proxy", cluster, path: `${inner === "" ? "/" : inner}${query}` };
}

/**
 * The route `rawUrl` (path and query as received) names, or undefined when it is not one of the
 * gateway's clustergateways URLs.
 */
export function parseGatewayRoute(rawUrl: string): GatewayRoute | undefined {
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt === -1 ? "" : rawUrl.slice(queryAt);
  if (path === CLUSTERGATEWAYS_PATH || path === `${CLUSTERGATEWAYS_PATH}/`) return { kind: "list" };
  if (!path.startsWith(`${CLUSTERGATEWAYS_PATH}/`)) return undefined;
  const rest = path.slice(CLUSTERGATEWAYS_PATH.length + 1);
  const slash = rest.indexOf("/");
  const cluster = decodeName(slash === -1 ? rest : rest.slice(0, slash));
  if (cluster === undefined) return undefined;
  return clusterRoute(cluster, slash === -1 ? undefined : rest.slice(slash + 1), query);
}
