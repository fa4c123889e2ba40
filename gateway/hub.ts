/**
 * What the gateway asks the hub, with its own hub credential: the request-header settings of
 * the aggregation layer, the ServiceAccount issuer and its keys (these discovery endpoints may
 * require authentication), and SubjectAccessReviews.
 */
import https from "node:https";
import {
  AuthorizationV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1SubjectAccessReview,
} from "@kubernetes/client-node";
import type { JSONWebKeySet } from "jose";
import { UpstreamUnavailableError } from "../core/errors.js";
import {
  AUTH_CONFIGMAP,
  requestHeaderConfigFromData,
  type RequestHeaderConfig,
} from "./authn/request-header.js";
import type { AccessReviewSpec, ReviewResult } from "./authz/access-review.js";

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

export function createHubClient(kubeConfig: KubeConfig, timeoutMs = 10_000): HubClient {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const authz = kubeConfig.makeApiClient(AuthorizationV1Api);
  const server = kubeConfig.getCurrentCluster()?.server ?? "";

  const getJson = async <T>(path: string): Promise<T> => {
    const options: https.RequestOptions = {
      method: "GET",
      // The JWKS is served as application/jwk-set+json and nothing else (406 otherwise).
      headers: { accept: "application/json, application/jwk-set+json" },
    };
    await kubeConfig.applyToHTTPSOptions(options);
    const url = new URL(path, server);
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.request(url, options, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("error", reject);
        res.on("end", () =>
          (res.statusCode ?? 0) === 200
            ? resolve(text)
            : reject(new UpstreamUnavailableError(`hub GET ${path}: HTTP ${res.statusCode}`)),
        );
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`hub GET ${path} timed out`)));
      req.on("error", reject);
      req.end();
    });
    return JSON.parse(body) as T;
  };

  return {
    getJson,
    async requestHeaderConfig() {
      const cm = await core.readNamespacedConfigMap(AUTH_CONFIGMAP);
      return requestHeaderConfigFromData(cm.data);
    },
    async issuer() {
      const doc = await getJson<{ issuer?: unknown }>("/.well-known/openid-configuration");
      if (typeof doc.issuer !== "string") throw new UpstreamUnavailableError("hub has no issuer");
      return doc.issuer;
    },
    jwks: () => getJson<JSONWebKeySet>("/openid/v1/jwks"),
    async review(spec) {
      const body: V1SubjectAccessReview = {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SubjectAccessReview",
        spec: {
          ...spec,
          groups: [...spec.groups],
          resourceAttributes: { ...spec.resourceAttributes },
        },
      };
      const result = await authz.createSubjectAccessReview({ body });
      return {
        allowed: result.status?.allowed === true,
        ...(result.status?.reason === undefined ? {} : { reason: result.status.reason }),
      };
    },
  };
}
