/**
 * What a Kubernetes API request is about, read from its method and URL the way kube-apiserver's
 * `RequestInfoFactory` does (pure). The gateway uses it twice: on its own URL, to authorise a
 * proxied request exactly as the hub's aggregator would (`clustergateways/proxy` with verb
 * `get`, `create`, …), and on the proxied path, to label metrics with the member-side verb and
 * resource (`list namespaces`, `watch configmaps`).
 */

export interface KubeRequestInfo {
  /** True for `/api/...` and `/apis/<group>/<version>/...` paths naming a resource. */
  readonly isResourceRequest: boolean;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; for
   * non-resource paths the lower-cased HTTP method. */
  readonly verb: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly namespace: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
}

const methodVerbs: Readonly<Record<string, string>> = {
  GET: "get",
  HEAD: "get",
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/** Subresources of a namespace itself (`/namespaces/<ns>/status`), not namespaced resources. */
const namespaceSubresources = new Set(["status", "finalize"]);

function splitUrl(rawUrl: string): { parts: string[]; query: URLSearchParams } {
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1));
  const parts = path
    .split("/")
    .filter((p) => p !== "")
    .map(safeDecode);
  return { parts, query };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const nonResource = (method: string): KubeRequestInfo => ({
  isResourceRequest: false,
  verb: method.toLowerCase(),
  apiGroup: "",
  apiVersion: "",
  namespace: "",
  resource: "",
  subresource: "",
  name: "",
});

/** Group, version and the parts after them; undefined when the path names no API version. */
function apiPrefix(
  parts: string[],
): { group: string; version: string; rest: string[] } | undefined {
  if (parts[0] === "api" && parts.length >= 2) {
    return { group: "", version: parts[1] ?? "", rest: parts.slice(2) };
  }
  if (parts[0] === "apis" && parts.length >= 3) {
    return { group: parts[1] ?? "", version: parts[2] ?? "", rest: parts.slice(3) };
  }
  return undefined;
}

/** Namespace and the resource parts that follow it (`namespaces/<ns>/<resource>/...`). */
function namespaced(rest: string[]): { namespace: string; parts: string[] } {
  if (rest[0] !== "namespaces" || rest.length < 2) return { namespace: "", parts: rest };
  const namespace = rest[1] ?? "";
  const next = rest[2];
  if (next !== undefined && !namespaceSubresources.has(next)) {
    return { namespace, parts: rest.slice(2) };
  }
  return { namespace, parts: rest };
}

/** Collection verbs: a `get` without a name is a list or watch, a `delete` a deletecollection. */
function collectionVerb(verb: string, hasName: boolean, query: URLSearchParams): string {
  if (hasName) return verb;
  if (verb === "get") return isTrue(query.get("watch")) ? "watch" : "list";
  if (verb === "delete") return "deletecollection";
  return verb;
}

const isTrue = (value: string | null): boolean => value === "true" || value === "1";

/**
 * Parses `method` + `rawUrl` (path and optional query, still percent-encoded) into the request
 * attributes kube-apiserver would authorise (pure).
 */
export function parseKubeRequest(method: string, rawUrl: string): KubeRequestInfo {
  const upper = method.toUpperCase();
  const { parts, query } = splitUrl(rawUrl);
  const prefix = apiPrefix(parts);
  const methodVerb = methodVerbs[upper];
  if (prefix === undefined || methodVerb === undefined) return nonResource(upper);
  let rest = prefix.rest;
  let verb = methodVerb;
  if (rest[0] === "watch") {
    // Deprecated `/watch/` paths, still served by kube-apiserver.
    verb = "watch";
    rest = rest.slice(1);
  }
  const { namespace, parts: resourceParts } = namespaced(rest);
  if (resourceParts.length === 0) return nonResource(upper);
  const name = resourceParts[1] ?? "";
  return {
    isResourceRequest: true,
    verb: collectionVerb(verb, name !== "", query),
    apiGroup: prefix.group,
    apiVersion: prefix.version,
    namespace,
    resource: resourceParts[0] ?? "",
    subresource: resourceParts[2] ?? "",
    name,
  };
}

/** The `resource` metrics label: `pods`, `pods/log`, `deployments.apps`; empty for non-resource
 * paths such as `/version` (pure). */
export function resourceLabel(info: KubeRequestInfo): string {
  if (!info.isResourceRequest) return "";
  const resource = info.apiGroup === "" ? info.resource : `${info.resource}.${info.apiGroup}`;
  return info.subresource === "" ? resource : `${resource}/${info.subresource}`;
}
