/**
 * What the gateway asks the hub, with its own hub credential: the request-header settings of
 * the aggregation layer, the ServiceAccount issuer and its keys (these discovery endpoints may
 * require authentication), and SubjectAccessReviews. All through core's plain-JSON client
 * (`core/kube/client.ts`); failures are typed (`core/kube/status.ts`: the gateway's own
 * credential's 401/403 surface as `UpstreamUnavailableError`).
 */
import type { JSONWebKeySet } from "jose";
import { UpstreamUnavailableError } from "../core/errors.js";
import {
  AUTH_CONFIGMAP,
  requestHeaderConfigFromData,
  type RequestHeaderConfig,
} from "./authn/request-header.js";
import type { AccessReviewSpec, ReviewResult } from "./authz/access-review.js";
import type { KubeClient } from "../core/kube/client.js";

export interface HubClient {
  /** GET a JSON document from the hub (any path, e.g. `/openid/v1/jwks`). */
  getJson<T>(path: string): Promise<T>;
  /** The aggregation layer's request-header settings; undefined when it is not configured. */
  requestHeaderConfig(): Promise<RequestHeaderConfig | undefined>;
  /** The ServiceAccount token issuer from `/.well-known/openid-configuration`. */
  issuer(): Promise<string>;
  jwks(): Promise<JSONWebKeySet>;
  review(spec: AccessReviewSpec): Promise<ReviewResult>;
}

interface SubjectAccessReviewStatus {
  status?: { allowed?: boolean; reason?: string };
}

export function createHubClient(client: KubeClient, timeoutMs = 10_000): HubClient {
  const getJson = <T>(path: string): Promise<T> =>
    // The JWKS is served as application/jwk-set+json and nothing else (406 otherwise).
    client.json<T>({ path, accept: "application/json, application/jwk-set+json", timeoutMs });

  return {
    getJson,
    async requestHeaderConfig() {
      const { namespace, name } = AUTH_CONFIGMAP;
      const cm = await client.json<{ data?: Record<string, string> }>({
        path: `/api/v1/namespaces/${namespace}/configmaps/${name}`,
        timeoutMs,
      });
      return requestHeaderConfigFromData(cm.data);
    },
    async issuer() {
      const doc = await getJson<{ issuer?: unknown }>("/.well-known/openid-configuration");
      if (typeof doc.issuer !== "string") throw new UpstreamUnavailableError("hub has no issuer");
      return doc.issuer;
    },
    jwks: () => getJson<JSONWebKeySet>("/openid/v1/jwks"),
    async review(spec) {
      const result = await client.json<SubjectAccessReviewStatus>({
        method: "POST",
        path: "/apis/authorization.k8s.io/v1/subjectaccessreviews",
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: {
            ...spec,
            groups: [...spec.groups],
            resourceAttributes: { ...spec.resourceAttributes },
          },
        },
        timeoutMs,
      });
      return {
        allowed: result.status?.allowed === true,
        ...(result.status?.reason === undefined ? {} : { reason: result.status.reason }),
      };
    },
  };
}
