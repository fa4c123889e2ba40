/**
 * The one place where the versions of the local fleet's cluster binaries are pinned.
 *
 * Kubernetes is built from the `k8s.io/kubernetes` Go module (with its staging modules replaced
 * by their published `v0.x` versions), etcd from `go.etcd.io/etcd/server/v3` (the minor that
 * this Kubernetes release is tested with), kwok from `sigs.k8s.io/kwok`, and containerd (the
 * container runtime of the fleet's real nodes) from `github.com/containerd/containerd/v2`.
 * Changing a version here changes the cache key, so the next fleet start rebuilds.
 */
export interface FleetVersions {
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kwok: string;
  readonly containerd: string;
}

export const fleetVersions: FleetVersions = {
  kubernetes: "1.36.3",
  etcd: "3.6.16",
  kwok: "0.8.0",
  containerd: "2.2.9",
};

/**
 * Bumped when the way binaries are built changes (flags, layout), so caches made by an older
 * recipe are not reused.
 */
export const buildRecipeVersion = 2;

/**
 * Tools built from their Go modules beside the cluster binaries but cached under their own
 * key, so bumping one never rebuilds Kubernetes: Helm (v4) installs the charts in tests and
 * in `flotilla fleet up --in-cluster`.
 */
export const toolVersions = {
  helm: "4.3.2",
} as const;
