/**
 * KubeVela's `context` for a template evaluation (pure): who is being rendered (name,
 * namespace, appName, appRevision, appRevisionNum, publishVersion), where (replicaKey,
 * clusterVersion), and what has been rendered so far (output, outputs, components).
 */
import type { JsonObject } from "../../core/json.js";
import type { Application } from "../oam/types.js";
import type { NodePoolPlacement } from "./node-pools.js";

export interface RenderTarget {
  /** Cluster name; `local` is the hub. */
  readonly cluster: string;
  readonly namespace: string;
  /** Replication key or node pool, `""` when none. */
  readonly replicaKey: string;
  /** Set when the target is an edge node pool (`replicaKey` is then its name). */
  readonly pool?: NodePoolPlacement;
}

export interface ContextInput {
  readonly app: Application;
  readonly component: string;
  readonly target: RenderTarget;
  readonly revision: number;
  readonly clusterVersion?: { major: number; minor: number; gitVersion: string };
  readonly output?: JsonObject;
  readonly outputs?: Record<string, JsonObject>;
}

/** The context object placed in every template. */
export function buildContext(input: ContextInput): JsonObject {
  const { app, target } = input;
  const publishVersion = app.metadata.annotations?.["app.oam.dev/publishVersion"];
  const context: JsonObject = {
    name: input.component,
    namespace: target.namespace,
    appName: app.metadata.name,
    appRevision: `${app.metadata.name}-v${input.revision}`,
    appRevisionNum: input.revision,
    replicaKey: target.replicaKey,
    cluster: target.cluster,
    components: app.spec.components.map((c) => ({ name: c.name, type: c.type })),
    clusterVersion: input.clusterVersion ?? { major: 1, minor: 36, gitVersion: "v1.36.3" },
    appLabels: app.metadata.labels ?? {},
    appAnnotations: app.metadata.annotations ?? {},
  };
  if (publishVersion !== undefined) context.publishVersion = publishVersion;
  if (input.output !== undefined) context.output = input.output;
  if (input.outputs !== undefined) context.outputs = input.outputs;
  return context;
}
