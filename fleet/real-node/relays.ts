/**
 * The relays that join a real node's namespace to the API servers on the host's 127.0.0.1,
 * which no other namespace can reach: a socat on the host listens on a unix socket (in the
 * node's runtime directory) and forwards to the API server; a socat inside the namespace
 * listens on a fixed relay address and forwards to that socket. One pair for the node's own
 * cluster, one more for the hub on members, and one per fleet cluster (`fleetRelayAddress`), so
 * in-cluster programs such as the gateway reach every member.
 */
import type { StartedProcess } from "../processes.js";
import {
  apiRelayAddress,
  fleetRelayAddress,
  hubRelayAddress,
  relayPort,
  type RealNodePlan,
} from "./plan.js";
import { toolPath } from "./tools.js";

type Launch = (component: string, command: string, args: readonly string[]) => StartedProcess;

export interface RelaysInput {
  readonly plan: RealNodePlan;
  readonly apiPort: number;
  readonly hubApiPort?: number;
  /** Every fleet cluster's API server port, by its index in the fleet (relayed as `fleetRelayAddress`). */
  readonly fleetApiPorts?: readonly number[];
  /** Starts inside the namespace; `launch.host` on the host. */
  readonly launch: Launch & { readonly host: Launch };
}

/** socat arguments of one relay pair (pure). */
export function relayArgs(
  socket: string,
  listen: string,
  targetPort: number,
): { host: string[]; inside: string[] } {
  return {
    host: [`UNIX-LISTEN:${socket},fork,unlink-early`, `TCP:127.0.0.1:${targetPort}`],
    inside: [`TCP-LISTEN:${relayPort},bind=${listen},fork,reuseaddr`, `UNIX-CONNECT:${socket}`],
  };
}

export function startRelays(input: RelaysInput): void {
  const socat = toolPath("socat");
  const pairs: Array<[string, string, number]> = [["api", apiRelayAddress, input.apiPort]];
  if (input.hubApiPort !== undefined) pairs.push(["hub", hubRelayAddress, input.hubApiPort]);
  (input.fleetApiPorts ?? []).forEach((port, index) =>
    pairs.push([`cluster-${index}`, fleetRelayAddress(index), port]),
  );
  for (const [name, address, port] of pairs) {
    const args = relayArgs(`${input.plan.runDir}/${name}.sock`, address, port);
    input.launch.host(`relay-${name}-host`, socat, args.host);
    input.launch(`relay-${name}`, socat, args.inside);
  }
}
