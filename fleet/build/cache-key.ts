/** Pure cache-key computation for built fleet binaries. */
import { createHash } from "node:crypto";
import type { FleetVersions } from "../versions.js";

/** The programs built from `k8s.io/kubernetes/cmd/` (kubelet and kube-proxy: real nodes). */
export const kubernetesBinaries = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubectl",
  "kubelet",
  "kube-proxy",
] as const;

/** The names of the binaries a complete cache directory holds. */
export const binaryNames = [
  ...kubernetesBinaries,
  "etcd",
  "kwok",
  "containerd",
  "containerd-shim-runc-v2",
  "ctr",
] as const;

export type BinaryName = (typeof binaryNames)[number];

export interface CacheKeyInput {
  readonly versions: FleetVersions;
  readonly recipe: number;
  /** `GOOS/GOARCH` of the machine. */
  readonly platform: string;
}

/**
 * A short, stable directory name for a set of versions: readable prefix plus a hash of
 * everything that changes the binaries.
 */
export function cacheKey(input: CacheKeyInput): string {
  const { versions } = input;
  const text = JSON.stringify([
    versions.kubernetes,
    versions.etcd,
    versions.kwok,
    versions.containerd,
    input.recipe,
    input.platform,
  ]);
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return `k8s-${versions.kubernetes}-${hash}`;
}
