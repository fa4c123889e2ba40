/**
 * The world of the gateway's integration test: a hub (`local`, with the aggregation layer)
 * and `member-1`; member-1 and a local WebSocket "member" registered through their credential
 * Secrets; ServiceAccounts `team-a/deployer` (allowed every clustergateways endpoint) and
 * `team-a/nobody` (no RBAC) with tokens; and the gateway running in-process.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { RunningGateway } from "../../gateway/start.js";
import { ensureBinaries, type BinaryPaths } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import type { ServingCertificate } from "../../fleet/pki.js";
import { startWsMember, type WsMember } from "./streams.js";
import * as s from "./gateway-world.js";

export interface Scenario {
  readonly fleet: Fleet;
  readonly binaries: BinaryPaths;
  readonly hub: KubeConfig;
  /** The gateway's serving certificate and its CA. */
  readonly tls: ServingCertificate;
  readonly wsMember: WsMember;
  readonly tokens: {
    /** deployer, audience = the gateway's. */
    readonly deployer: string;
    /** nobody, audience = the gateway's. */
    readonly nobody: string;
    /** nobody, audience = the hub's API (what the gateway must refuse). */
    readonly hubAudience: string;
  };
  readonly gateway: RunningGateway;
  /** Stops the gateway, the WebSocket member and the fleet. */
  tearDown(): Promise<void>;
}

export async function setUpScenario(): Promise<Scenario> {
  const binaries = await ensureBinaries();
  const fleet = await startFleet({
    binaries,
    clusters: [{ name: "local", hub: true }, { name: "member-1" }],
  });
  const hub = s.kubeConfigOf(fleet.cluster("local"));
  const tls = await s.gatewayServingCertificate(fleet.workDir);
  const wsMember = await startWsMember(tls);
  await s.registerCluster(hub, s.adminRecord(fleet.cluster("member-1")));
  await s.registerCluster(hub, {
    name: "ws-echo",
    endpoint: wsMember.endpoint,
    caPem: tls.ca.cert,
    credential: { type: "ServiceAccountToken", token: "ws-member-token" },
    labels: {},
  });
  const tokens = {
    deployer: await s.serviceAccountToken(hub, "team-a", "deployer", [s.AUDIENCE]),
    nobody: await s.serviceAccountToken(hub, "team-a", "nobody", [s.AUDIENCE]),
    hubAudience: await s.serviceAccountToken(hub, "team-a", "nobody"),
  };
  await s.allowClusterGateways(hub, "team-a", "deployer");
  const gateway = await s.startTestGateway(hub, tls);
  await s.eventually("the gateway to list member-1", () => gateway.registry.get("member-1"));
  const tearDown = async (): Promise<void> => {
    await gateway.close();
    await wsMember.close();
    await fleet.stop();
  };
  return { fleet, binaries, hub, tls, wsMember, tokens, gateway, tearDown };
}
