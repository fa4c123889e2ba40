/**
 * A real node's network: its own namespace, linked to the host by a veth pair with a /30, and
 * two loopback addresses inside for the API relays. The namespace has no default route, so
 * nothing in it reaches beyond this machine. Deleting the namespace removes both veth ends and
 * every interface the CNI bridge made inside it.
 */
import { apiRelayAddress, fleetRelayAddress, hubRelayAddress, type RealNodePlan } from "./plan.js";
import { run, tryRunSync } from "./exec.js";

/**
 * `fleetClusters` is how many fleet clusters get a relay address inside. The host routes the
 * node's pod range to the node, so the API server reaches pods (the aggregation layer calls
 * the gateway pod at its endpoint address).
 */
export async function createNetwork(plan: RealNodePlan, fleetClusters = 0): Promise<void> {
  const ns = plan.netns;
  await run("ip", ["netns", "add", ns]);
  await run("ip", [
    "link",
    "add",
    plan.hostInterface,
    "type",
    "veth",
    "peer",
    "name",
    "eth0",
    "netns",
    ns,
  ]);
  await run("ip", ["addr", "add", `${plan.hostAddress}/30`, "dev", plan.hostInterface]);
  await run("ip", ["link", "set", plan.hostInterface, "up"]);
  await run("ip", ["-n", ns, "addr", "add", `${plan.nodeAddress}/30`, "dev", "eth0"]);
  await run("ip", ["-n", ns, "link", "set", "eth0", "up"]);
  await run("ip", ["-n", ns, "link", "set", "lo", "up"]);
  const fleet = Array.from({ length: fleetClusters }, (_, i) => fleetRelayAddress(i));
  for (const address of [apiRelayAddress, hubRelayAddress, ...fleet])
    await run("ip", ["-n", ns, "addr", "add", `${address}/32`, "dev", "lo"]);
  await run("ip", [
    "route",
    "add",
    plan.podCidr,
    "via",
    plan.nodeAddress,
    "dev",
    plan.hostInterface,
  ]);
}

/** Removes the namespace and the host end of the veth pair (both may be gone already). */
export function deleteNetwork(plan: RealNodePlan): void {
  tryRunSync("ip", ["netns", "delete", plan.netns]);
  tryRunSync("ip", ["link", "delete", plan.hostInterface]);
}
