/**
 * Which of kwok's published Stage files the fleet uses, relative to the `sigs.k8s.io/kwok`
 * module root: nodes become Ready at once and keep a Lease heartbeat (so the node lifecycle
 * controller sees them alive), pods become Ready at once, complete when they belong to a Job,
 * and are removed when deleted.
 */
export const kwokStageFiles = [
  "kustomize/stage/node/fast/node-initialize.yaml",
  "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
  "kustomize/stage/pod/fast/pod-ready.yaml",
  "kustomize/stage/pod/fast/pod-complete.yaml",
  "kustomize/stage/pod/fast/pod-delete.yaml",
] as const;
