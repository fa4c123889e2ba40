/**
 * The agent's bootstrap credential on a real fleet (docs/adr/0017-agent-credential.md): the
 * agent runs with `--hub-bootstrap-kubeconfig` only, mints its working token and renews its
 * Lease; when every working token it holds dies (its ServiceAccount deleted and re-created:
 * bound tokens die with the UID, as at expiry, without waiting) it recovers by itself with no
 * restart, and also when it was stopped meanwhile; the bootstrap identity can do nothing but
 * mint the agent's own token; deleting the bootstrap Secret revokes it, and a new bootstrap
 * kubeconfig in the agent's file is read without a restart; `removeAgentAccess` removes it.
 * Tests run in order.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ApiException, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenPath } from "../../agent/names.js";
import {
  AGENT_NAMESPACE,
  agentBootstrapName,
  agentBootstrapTokenName,
  agentName,
} from "../../core/cluster/agent-contract.js";
import { UnauthenticatedError } from "../../core/errors.js";
import { createKubeClient } from "../../core/kube/client.js";
import { loadKubeconfigFile } from "../../core/kube/connect.js";
import { removeAgentAccess } from "../../core/install/agent-access.js";
import { agentLabels } from "../../core/install/agent-objects.js";
import { provisionAgentBootstrap } from "../../core/install/agent-bootstrap.js";
import { writeAgentKubeconfig } from "../../core/install/agent-kubeconfig.js";
import { startFleetAgent, type FleetAgent } from "../../fleet/agent.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { hubOf, kubeConfigOf } from "../../fleet/gateway.js";
import { waitFor } from "../../fleet/wait.js";
import { readLease } from "../support/agent-world.js";

const MEMBER = "member-1";
const BOOTSTRAP_USER = `system:serviceaccount:${AGENT_NAMESPACE}:${agentBootstrapName(MEMBER)}`;
const ARGS = ["--heartbeat-interval", "1s", "--lease-duration", "5s", "--report-interval", "2s"];
const REFUSED = "the hub refused the working token";

let fleet: Fleet;
let agent: FleetAgent | undefined;
let bootstrapFile: string;

const hubKc = (): KubeConfig => kubeConfigOf(hubOf(fleet));
const renewedAt = async (): Promise<number> =>
  new Date(String((await readLease(fleet, MEMBER)).spec?.renewTime)).getTime();
const agentLog = (): Promise<string> =>
  readFile(path.join(fleet.logDir, `${MEMBER}-agent.log`), "utf8").catch(() => "");
const count = (text: string, what: string): number => text.split(what).length - 1;

/** Kills every working token of the agent: its ServiceAccount gets a new UID. */
async function invalidateWorkingTokens(): Promise<void> {
  const core = hubKc().makeApiClient(CoreV1Api);
  const [name, namespace] = [agentName(MEMBER), AGENT_NAMESPACE];
  const old = await core.readNamespacedServiceAccount({ name, namespace });
  await core.deleteNamespacedServiceAccount({ name, namespace });
  const created = await core.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name, labels: agentLabels(MEMBER) } },
  });
  expect(created.metadata?.uid).not.toBe(old.metadata?.uid);
}

/** Waits until the Lease is renewed after `since` (ms). */
const leaseRenewedAfter = (since: number, what: string): Promise<number> =>
  waitFor(what, async () => ((await renewedAt()) > since ? renewedAt() : undefined), {
    timeoutMs: 45_000,
    ...(agent === undefined ? {} : { processes: [agent.process] }),
  });

/** `kubectl auth can-i` as the bootstrap ServiceAccount: "yes" or "no". */
async function canI(...args: string[]): Promise<string> {
  const { kubectl } = await ensureBinaries();
  const argv = ["--kubeconfig", hubOf(fleet).kubeconfigFile, "auth", "can-i", ...args];
  const all = [...argv, "-n", AGENT_NAMESPACE, "--as", BOOTSTRAP_USER];
  return promisify(execFile)(kubectl, all).then(
    ({ stdout }) => stdout.trim(),
    (error: { stdout?: string }) => (error.stdout ?? "").trim(),
  );
}

beforeAll(async () => {
  fleet = await startFleet({
    clusters: [
      { name: "local", hub: true, nodes: 1, pools: [] },
      { name: MEMBER, nodes: 1, pools: [] },
    ],
  });
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  await fleet?.stop();
});

describe("the agent's bootstrap credential", () => {
  it("lets the agent mint its working token and renew its Lease", async () => {
    agent = await startFleetAgent({ fleet, cluster: MEMBER, bootstrap: true, args: ARGS });
    bootstrapFile = agent.hubKubeconfigFile;
    expect(agent.bootstrap).toBe(true);
    expect(await readFile(bootstrapFile, "utf8")).toContain(`name: ${agentBootstrapName(MEMBER)}`);
    const first = await renewedAt();
    await leaseRenewedAfter(first, "a second Lease renewal");
    expect(count(await agentLog(), "hub token minted with the bootstrap credential")).toBe(1);
  });

  it("allows the bootstrap identity nothing but minting the agent's own token", async () => {
    const own = `serviceaccounts/${agentName(MEMBER)}`;
    expect(await canI("create", own, "--subresource=token")).toBe("yes");
    expect(
      await canI("create", "serviceaccounts/flotilla-agent-other", "--subresource=token"),
    ).toBe("no");
    const self = `serviceaccounts/${agentBootstrapName(MEMBER)}`;
    expect(await canI("create", self, "--subresource=token")).toBe("no");
    expect(await canI("get", "secrets")).toBe("no");
    expect(await canI("get", `secrets/${agentBootstrapTokenName(MEMBER)}`)).toBe("no");
    expect(await canI("update", `leases.coordination.k8s.io/${agentName(MEMBER)}`)).toBe("no");
    expect(await canI("get", own)).toBe("no");
  });

  it("recovers by itself, with no restart, when every working token it holds dies", async () => {
    const pid = agent?.process.pid;
    await invalidateWorkingTokens();
    const refused = await waitFor(
      "the agent to see its working token refused",
      async () => (count(await agentLog(), REFUSED) > 0 ? Date.now() : undefined),
      { timeoutMs: 45_000, processes: agent === undefined ? [] : [agent.process] },
    );
    await leaseRenewedAfter(refused, "a Lease renewal with a fresh token");
    expect(count(await agentLog(), "hub token minted with the bootstrap credential")).toBe(2);
    expect(agent?.process.pid).toBe(pid);
    expect(agent?.process.hasExited()).toBe(false);
  });

  it("recovers when started again after its working tokens died while it was stopped", async () => {
    await agent?.stop();
    agent = undefined;
    await invalidateWorkingTokens();
    // startFleetAgent resolves once the restarted agent has renewed the Lease.
    agent = await startFleetAgent({ fleet, cluster: MEMBER, bootstrap: bootstrapFile, args: ARGS });
    await leaseRenewedAfter(await renewedAt(), "the next Lease renewal");
    expect(count(await agentLog(), "hub token minted with the bootstrap credential")).toBe(3);
  });

  it("is revoked by deleting its token Secret; a new one is read without a restart", async () => {
    const pid = agent?.process.pid;
    const [name, namespace] = [agentBootstrapTokenName(MEMBER), AGENT_NAMESPACE];
    await hubKc().makeApiClient(CoreV1Api).deleteNamespacedSecret({ name, namespace });
    const bootstrap = createKubeClient(loadKubeconfigFile(bootstrapFile), { name: "hub" });
    try {
      const request = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} };
      const refusal = await waitFor(
        "the bootstrap token to be refused",
        () =>
          bootstrap.json({ method: "POST", path: tokenPath(MEMBER), body: request }).then(
            () => undefined,
            (error: unknown) => error,
          ),
        { timeoutMs: 30_000 },
      );
      expect(refusal).toBeInstanceOf(UnauthenticatedError);
    } finally {
      bootstrap.close();
    }
    // Its working tokens dead too, the agent cannot mint with the revoked credential…
    await invalidateWorkingTokens();
    await waitFor(
      "the agent to see its bootstrap credential refused",
      async () => count(await agentLog(), "refuses the bootstrap credential") > 0 || undefined,
      { timeoutMs: 45_000, processes: agent === undefined ? [] : [agent.process] },
    );
    // …until a new bootstrap credential replaces the file (as a re-written Secret volume would).
    const access = await provisionAgentBootstrap({ hub: hubKc(), cluster: MEMBER });
    await writeAgentKubeconfig(bootstrapFile, access.bootstrapKubeconfig);
    await leaseRenewedAfter(Date.now(), "a Lease renewal with the new bootstrap credential");
    expect(agent?.process.pid).toBe(pid);
  });

  it("is removed with the agent's access", async () => {
    await removeAgentAccess({ hub: hubKc(), cluster: MEMBER });
    const read = hubKc()
      .makeApiClient(CoreV1Api)
      .readNamespacedServiceAccount({
        name: agentBootstrapName(MEMBER),
        namespace: AGENT_NAMESPACE,
      });
    await expect(read).rejects.toSatisfy((e) => e instanceof ApiException && e.code === 404);
  });
});
