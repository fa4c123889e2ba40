/**
 * The gateway's read-only API objects and discovery documents (pure).
 *
 * A ClusterGateway is a view of a registry record in KubeVela's shape (`spec.provider`,
 * `spec.access.endpoint`, `caBundle` or `insecure`, `credential.type`) plus the last probe in
 * `status`. Credentials never appear: only their type. The discovery documents are what the
 * hub's aggregator and kubectl read to find `clustergateways` and its subresources.
 */
import {
  GATEWAY_GROUP,
  GATEWAY_VERSION,
  LOCAL_CLUSTER,
  type ClusterRecord,
} from "../core/cluster/types.js";
import type { ClusterHealth } from "./health.js";

const apiVersion = `${GATEWAY_GROUP}/${GATEWAY_VERSION}`;

export interface ClusterGateway {
  readonly apiVersion: string;
  readonly kind: "ClusterGateway";
  readonly metadata: {
    readonly name: string;
    readonly creationTimestamp?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: {
    readonly provider: string;
    readonly access: {
      readonly endpoint: string;
      readonly caBundle?: string;
      readonly insecure?: boolean;
      readonly credential: { readonly type: string };
    };
  };
  readonly status: {
    readonly healthy: boolean;
    readonly healthyReason?: string;
    readonly message?: string;
    readonly lastProbeTime?: string;
  };
}

/** The ClusterGateway view of `record` with its last health (pure). */
export function clusterGatewayOf(
  record: ClusterRecord,
  health: ClusterHealth | undefined,
): ClusterGateway {
  const labels = Object.keys(record.labels).length > 0 ? { labels: { ...record.labels } } : {};
  const alias =
    record.alias === undefined
      ? {}
      : { annotations: { "cluster.core.oam.dev/cluster-alias": record.alias } };
  return {
    apiVersion,
    kind: "ClusterGateway",
    metadata: {
      name: record.name,
      ...(record.createdAt === undefined ? {} : { creationTimestamp: record.createdAt }),
      ...labels,
      ...alias,
    },
    spec: {
      provider: record.name === LOCAL_CLUSTER ? "hub" : "",
      access: {
        endpoint: record.endpoint,
        ...(record.caPem === undefined
          ? { insecure: true }
          : { caBundle: Buffer.from(record.caPem, "utf8").toString("base64") }),
        credential: { type: record.credential.type },
      },
    },
    status: {
      healthy: health?.healthy ?? false,
      ...(health === undefined
        ? { healthyReason: "Unknown" }
        : {
            healthyReason: health.reason,
            ...(health.message === undefined ? {} : { message: health.message }),
            lastProbeTime: health.lastProbeTime,
          }),
    },
  };
}

export function clusterGatewayList(items: ClusterGateway[]): Record<string, unknown> {
  return { apiVersion, kind: "ClusterGatewayList", metadata: {}, items };
}

const groupVersion = { groupVersion: apiVersion, version: GATEWAY_VERSION };

const apiGroup = {
  name: GATEWAY_GROUP,
  versions: [groupVersion],
  preferredVersion: groupVersion,
};

/** `/apis`: the one group this server serves. */
export const apiGroupList = { kind: "APIGroupList", apiVersion: "v1", groups: [apiGroup] };

/** `/apis/cluster.core.oam.dev`. */
export const apiGroupDocument = { kind: "APIGroup", apiVersion: "v1", ...apiGroup };

const resource = (name: string, verbs: string[], kind = "ClusterGateway"): object => ({
  name,
  singularName: name.includes("/") ? "" : "clustergateway",
  namespaced: false,
  kind,
  verbs,
});

/** `/apis/cluster.core.oam.dev/v1alpha1`: clustergateways and its subresources. */
export const apiResourceList = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: apiVersion,
  resources: [
    resource("clustergateways", ["get", "list"]),
    resource(
      "clustergateways/proxy",
      ["create", "delete", "get", "patch", "update"],
      "ClusterGatewayProxyOptions",
    ),
    resource("clustergateways/health", ["get"]),
  ],
};
