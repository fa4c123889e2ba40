/**
 * `Application.status` as the hub writes it, with KubeVela's field names and shapes
 * (`common.AppStatus`), so `vela status`-style tooling reads it unchanged. The hub writes it;
 * the CLI reads it.
 */
import type { WorkflowStatus } from "../workflow/types.js";

/** KubeVela's application phases (`common.ApplicationPhase`). */
export type ApplicationPhase =
  | "starting"
  | "rendering"
  | "policyGenerating"
  | "runningWorkflow"
  | "workflowSuspending"
  | "workflowTerminated"
  | "workflowFailed"
  | "running"
  | "unhealthy"
  | "deleting";

/** A Kubernetes-style condition; one per reconcile stage (Parsed, Rendered, Dispatched, Healthy). */
export interface ApplicationCondition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
  readonly reason: string;
  readonly message?: string;
  readonly lastTransitionTime: string;
}

export interface TraitStatus {
  readonly type: string;
  readonly healthy: boolean;
  readonly message?: string;
}

/** One component in one target (cluster × namespace × replica key). */
export interface ServiceStatus {
  /** The component's name. */
  readonly name: string;
  readonly namespace: string;
  readonly cluster: string;
  /** Set for copies made by a replication policy (and node pools). */
  readonly replicaKey?: string;
  readonly healthy: boolean;
  /** From the definition's `customStatus`, or why the component is not delivered / healthy. */
  readonly message?: string;
  readonly workloadDefinition?: { readonly apiVersion: string; readonly kind: string };
  readonly traits?: readonly TraitStatus[];
  /** Flotilla: the cluster's agent went silent, so this entry is not current. */
  readonly stale?: boolean;
  /** Flotilla: with `stale`, the cluster's last heartbeat (RFC 3339). */
  readonly lastSeen?: string;
  /** Flotilla: the edge node pool this copy is delivered to, as its agent last reported it. */
  readonly nodePool?: NodePoolStatus;
}

export interface NodePoolStatus {
  readonly name: string;
  /** False when the pool is reported with no Ready node; absent while not reported. */
  readonly ready?: boolean;
  readonly readyNodes?: number;
  readonly notReadyNodes?: number;
}

/** One object the hub applied (KubeVela's `appliedResources`, the tree's rows). */
export interface AppliedResource {
  readonly cluster: string;
  readonly creator: "workflow";
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface ApplicationStatusBody {
  /** The phase (KubeVela calls the field `status`). */
  readonly status: ApplicationPhase;
  /** The `metadata.generation` this status describes. */
  readonly observedGeneration: number;
  readonly conditions: readonly ApplicationCondition[];
  readonly services: readonly ServiceStatus[];
  readonly appliedResources: readonly AppliedResource[];
  readonly latestRevision?: {
    readonly name: string;
    readonly revision: number;
    readonly revisionHash: string;
  };
  /** The workflow's progress, when the application has `spec.workflow` steps (KubeVela's shape). */
  readonly workflow?: WorkflowStatus;
}
