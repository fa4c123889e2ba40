/**
 * The cluster registry's vocabulary, shared by the hub, the gateway and the CLI. A registered
 * member cluster is stored on the hub as a Secret in `vela-system`, in the shape KubeVela's
 * cluster-gateway reads (so `vela cluster list` and Flotilla see the same clusters); this
 * module names those keys and the record Flotilla works with.
 */

/** The hub's own cluster; reserved, always present, never stored as a Secret. */
export const LOCAL_CLUSTER = "local";

/** Namespace of the credential Secrets on the hub. */
export const REGISTRY_NAMESPACE = "vela-system";

/** Label on a credential Secret naming how the hub authenticates to the member. */
export const CREDENTIAL_TYPE_LABEL = "cluster.core.oam.dev/cluster-credential-type";
/** Label KubeVela sets on credential Secrets: the endpoint is a constant URL. */
export const ENDPOINT_TYPE_LABEL = "cluster.core.oam.dev/cluster-endpoint-type";
/** Annotation holding the cluster's alias. */
export const ALIAS_ANNOTATION = "cluster.core.oam.dev/cluster-alias";

/** The API group and version the gateway serves (KubeVela's cluster-gateway group). */
export const GATEWAY_GROUP = "cluster.core.oam.dev";
export const GATEWAY_VERSION = "v1alpha1";
/** Path prefix of the proxy for one cluster: `${gatewayProxyPath(name)}/api/v1/...`. */
/** The APIService the gateway is registered as on the hub, and its Service's default name. */
export const APISERVICE_NAME = `${GATEWAY_VERSION}.${GATEWAY_GROUP}`;
export const GATEWAY_SERVICE = "flotilla-gateway";

export const gatewayProxyPath = (cluster: string): string =>
  `/apis/${GATEWAY_GROUP}/${GATEWAY_VERSION}/clustergateways/${encodeURIComponent(cluster)}/proxy`;

/** How the hub (and the gateway) authenticates to a member's API server. */
export type ClusterCredential =
  | { readonly type: "X509Certificate"; readonly certPem: string; readonly keyPem: string }
  | { readonly type: "ServiceAccountToken"; readonly token: string };

export type CredentialType = ClusterCredential["type"];

/** One registered cluster as Flotilla works with it. */
export interface ClusterRecord {
  readonly name: string;
  readonly alias?: string;
  /** The member API server's URL, without a trailing slash. */
  readonly endpoint: string;
  /** PEM CA bundle for the endpoint; absent means TLS verification is skipped (KubeVela's rule). */
  readonly caPem?: string;
  readonly credential: ClusterCredential;
  /** User labels (the Secret's labels minus Flotilla's and KubeVela's own keys). */
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: string;
}
