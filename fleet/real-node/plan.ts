/**
 * Where a real node of the local fleet lives (pure): its names, addresses and directories.
 *
 * Each real node gets a machine-wide slot (claimed by `slots.ts`), and everything that must be
 * unique on this machine derives from it: the network namespace `flt-<slot>`, the veth pair
 * that links it to the host (`flt<slot>h` on the host, `eth0` inside, a /30 out of
 * 10.250.0.0/16), the pod range of its CNI bridge (10.244.<slot>.0/24) and its cgroup root
 * (`/flt-<slot>`). Inside every node namespace two fixed loopback addresses carry relays:
 * {@link apiRelayAddress} reaches the node's own cluster's API server, {@link hubRelayAddress}
 * the hub's; and {@link fleetRelayAddress} one per fleet cluster. The `kubernetes` Service's endpoint is the first, so in-cluster clients on any
 * real node reach their API server through their own node's relay.
 */

/** The `kubernetes` Service's ClusterIP (first address of the fleet's service range). */
export const kubernetesServiceIp = "10.96.0.1";
/** Inside a node namespace: the relay to the node's own cluster's API server. */
export const apiRelayAddress = "10.255.255.1";
/** Inside a node namespace: the relay to the hub cluster's API server. */
export const hubRelayAddress = "10.255.255.2";
/**
 * Inside a node namespace: the relay to the fleet's cluster number `index` (its place in the
 * fleet config), so pods (the gateway, in-cluster) reach every cluster's API server at an
 * address its serving certificate covers. `index` is 0 .. {@link maxFleetClusters}-1.
 */
export const fleetRelayAddress = (index: number): string => {
  if (!Number.isInteger(index) || index < 0 || index >= maxFleetClusters)
    throw new RangeError(`fleet cluster index ${index}: must be 0..${maxFleetClusters - 1}`);
  return `10.255.255.${10 + index}`;
};
/** The most clusters a fleet's relays address (10.255.255.10 ..). */
export const maxFleetClusters = 64;
/** The port every relay listens on. */
export const relayPort = 6443;
/** The kubelet's port on the node address. */
export const kubeletPort = 10250;
/** Slots are 0 .. maxSlots-1: at most this many real nodes run on one machine at once. */
export const maxSlots = 64;

/** The taint every real node registers with, so only pods that ask for one land there. */
export const realNodeTaint = {
  key: "flotilla.dev/real-node",
  value: "true",
  effect: "NoSchedule",
} as const;
/** The label every real node carries (kwok nodes carry `type: kwok`). */
export const realNodeLabels = { type: "real", "flotilla.dev/real-node": "true" } as const;

/** Machine-wide runtime directory of real nodes: slot claims, sysctl snapshot, sockets. */
export const runRoot = "/run/flotilla";

export interface RealNodePlan {
  readonly slot: number;
  /** Node name: `<cluster>-real-<index>`. */
  readonly name: string;
  readonly cluster: string;
  readonly netns: string;
  /** The host end of the veth pair. */
  readonly hostInterface: string;
  readonly hostAddress: string;
  /** The node's InternalIP (the namespace end of the veth pair). */
  readonly nodeAddress: string;
  readonly podCidr: string;
  /** The node's cgroup root in each cgroup v1 hierarchy (kubelet's `cgroupRoot`). */
  readonly cgroupRoot: string;
  /** The node's own directory: configuration, kubelet and containerd state, logs. */
  readonly dir: string;
  /** Short-lived runtime files: sockets (short paths: a unix socket path has 107 bytes). */
  readonly runDir: string;
}

export interface PlanInput {
  readonly slot: number;
  readonly cluster: string;
  /** The node's index within its cluster. */
  readonly index: number;
  /** The cluster's work directory (`<fleet>/<cluster>`). */
  readonly clusterDir: string;
}

/** The plan of one real node. Throws on a slot outside 0 .. maxSlots-1. */
export function realNodePlan(input: PlanInput): RealNodePlan {
  const { slot } = input;
  if (!Number.isInteger(slot) || slot < 0 || slot >= maxSlots)
    throw new RangeError(`real node slot must be 0..${maxSlots - 1}, got ${slot}`);
  const name = `${input.cluster}-real-${input.index}`;
  return {
    slot,
    name,
    cluster: input.cluster,
    netns: `flt-${slot}`,
    hostInterface: `flt${slot}h`,
    hostAddress: `10.250.${slot}.1`,
    nodeAddress: `10.250.${slot}.2`,
    podCidr: `10.244.${slot}.0/24`,
    cgroupRoot: `/flt-${slot}`,
    dir: `${input.clusterDir}/nodes/${name}`,
    runDir: `${runRoot}/flt-${slot}`,
  };
}
