/**
 * Real and simulated nodes (pure): a node is simulated — by kwok, which manages only nodes so
 * annotated — iff it carries the annotation `kwok.x-k8s.io/node=fake`; every other node is
 * real (a kubelet). The agent counts simulated nodes in its report (`NodeCounts.kwok`), the
 * fleet's probe counts them on its own, and `flotilla cluster list` and `flotilla fleet status`
 * show both with `nodesCell`. Free of `@kubernetes/client-node` so the agent can import it.
 */
import { obj } from "../json.js";
import type { NodeCounts } from "./agent-contract.js";

/** The annotation kwok manages nodes by, and its value. */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
export const KWOK_NODE_FAKE = "fake";

/** Whether a node (plain JSON, read loosely) is simulated by kwok. */
export function isSimulatedNode(node: unknown): boolean {
  const annotations = obj(obj(obj(node)?.metadata)?.annotations);
  return annotations?.[KWOK_NODE_ANNOTATION] === KWOK_NODE_FAKE;
}

/**
 * The NODES cell: `ready/total`, then ` (R real, K kwok)` when any node is simulated — so a
 * cluster of real nodes only, or a report without the count (an older agent), reads `ready/total`.
 */
export function nodesCell(nodes: Pick<NodeCounts, "ready" | "total" | "kwok">): string {
  const counts = `${nodes.ready}/${nodes.total}`;
  const kwok = nodes.kwok ?? 0;
  return kwok > 0 ? `${counts} (${nodes.total - kwok} real, ${kwok} kwok)` : counts;
}
