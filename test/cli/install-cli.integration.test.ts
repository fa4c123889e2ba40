/**
 * The installer commands against a real hub and member (one fleet for the file):
 * `cluster join --agent` prints the agent's hub kubeconfig, and an agent started with it
 * heartbeats and reports on the hub; `cluster agent-access` gives a fresh credential to a file
 * with the asked token lifetime, the bootstrap credential to the member's Secret and to the
 * agent chart's values (a file or stdout), and `--revoke` makes both stop working; `gateway register` makes a running gateway the hub's Available APIService (the hub
 * then serves clustergateways), and `gateway unregister` removes it. The steps build on each
 * other and run in order.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  ApiException,
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from "@kubernetes/client-node";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startFleetAgent } from "../../fleet/agent.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { kubeConfigOf, startFleetGateway, type FleetGateway } from "../../fleet/gateway.js";
import { waitFor } from "../../fleet/wait.js";
import { readLease, readReport } from "../support/agent-world.js";
import { runCli } from "../support/run-cli.js";

const MEMBER = "member-1";
const AGENT_USER = `system:serviceaccount:vela-system:flotilla-agent-${MEMBER}`;
const BOOTSTRAP_USER = `${AGENT_USER}-bootstrap`;

let fleet: Fleet;
let hubFile: string;
let dir: string;
let gateway: FleetGateway | undefined;

const cluster = (...args: string[]) => runCli("cluster", ...args, "--kubeconfig", hubFile);
const gatewayCli = (...args: string[]) => runCli("gateway", ...args, "--kubeconfig", hubFile);
const hubKc = (): KubeConfig => kubeConfigOf(fleet.cluster("local"));

/** Who a kubeconfig (YAML text) authenticates as on its server. */
async function whoAmI(kubeconfig: string): Promise<string | undefined> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
    body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
  });
  return review.status?.userInfo?.username;
}

const tokenOf = (kubeconfig: string): string =>
  (parse(kubeconfig) as { users: [{ user: { token: string } }] }).users[0].user.token;

beforeAll(async () => {
  fleet = await startFleet({ clusters: [{ name: "local", hub: true }, { name: MEMBER }] });
  hubFile = fleet.cluster("local").kubeconfigFile;
  dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-install-it-"));
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("flotilla cluster join --agent and agent-access", () => {
  let secretKubeconfig = "";
  let bootstrapKubeconfig = "";

  it("joins a member and prints a hub kubeconfig its agent reports with", async () => {
    const joined = await cluster("join", fleet.cluster(MEMBER).kubeconfigFile, "--agent");
    expect(joined.code).toBe(0);
    expect(joined.err).toMatch(new RegExp(`^Cluster "${MEMBER}" joined: https://`, "m"));
    expect(joined.err).toContain(`Agent access for cluster "${MEMBER}": ${AGENT_USER}`);
    expect(await whoAmI(joined.out)).toBe(AGENT_USER);
    const file = path.join(dir, "agent.hub.kubeconfig");
    await writeFile(file, joined.out, { mode: 0o600 });

    const agent = await startFleetAgent({
      fleet,
      cluster: MEMBER,
      hubKubeconfigFile: file,
      args: ["--heartbeat-interval", "1s", "--lease-duration", "5s", "--report-interval", "1s"],
    });
    try {
      const lease = await readLease(fleet, MEMBER);
      expect(lease.spec?.holderIdentity).toBe(`flotilla-agent/${MEMBER}`);
      const report = await waitFor(
        `${MEMBER}'s ClusterReport`,
        async () => (await readReport(fleet, MEMBER)).report,
        { timeoutMs: 60_000, processes: [agent.process] },
      );
      expect(report.kubernetesVersion).toMatch(/^v1\./);
      expect(report.apiReady).toBe(true);
      expect(report.nodes.total).toBeGreaterThan(0);
    } finally {
      await agent.stop();
    }
  });

  it("refuses to join the member again, pointing at agent-access", async () => {
    const again = await cluster("join", fleet.cluster(MEMBER).kubeconfigFile, "--agent");
    expect(again.code).toBe(1);
    expect(again.err).toContain(`run "flotilla cluster agent-access ${MEMBER}"`);
  });

  it("hands a fresh credential to a 0600 file, the bootstrap one to the member's Secret and the chart's values", async () => {
    const file = path.join(dir, "again.kubeconfig");
    const valuesFile = path.join(dir, "agent.values.yaml");
    const args = ["--agent-kubeconfig", file, "--agent-secret", "--agent-token-ttl", "1h"];
    const access = await cluster("agent-access", MEMBER, ...args, "--agent-values", valuesFile);
    expect(access.code, access.err).toBe(0);
    expect(access.err).toBe(
      "Next: helm install flotilla-agent charts/flotilla-agent -n vela-system --create-namespace " +
        `-f ${valuesFile} --kube-context <kube-context of ${MEMBER}>`,
    );
    expect(access.out).toContain(`Agent hub kubeconfig written to ${file}.`);
    expect(access.out).toContain(
      `Agent bootstrap credential for cluster "${MEMBER}": ${BOOTSTRAP_USER}`,
    );
    expect(access.out).toContain(
      `stored on cluster "${MEMBER}" as Secret vela-system/flotilla-agent-hub-bootstrap`,
    );
    expect(access.out).toContain(`Agent chart values written to ${valuesFile}.`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(valuesFile)).mode & 0o777).toBe(0o600);
    const secret = await kubeConfigOf(fleet.cluster(MEMBER))
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ name: "flotilla-agent-hub-bootstrap", namespace: "vela-system" });
    const unb64 = (v: string | undefined) => Buffer.from(v ?? "", "base64").toString("utf8");
    expect(unb64(secret.data?.cluster)).toBe(MEMBER);
    bootstrapKubeconfig = unb64(secret.data?.["bootstrap-kubeconfig"]);
    expect(await whoAmI(bootstrapKubeconfig)).toBe(BOOTSTRAP_USER);
    expect(parse(await readFile(valuesFile, "utf8"))).toEqual({
      clusterName: MEMBER,
      hub: { bootstrapKubeconfig },
    });
    secretKubeconfig = await readFile(file, "utf8");
    expect(await whoAmI(secretKubeconfig)).toBe(AGENT_USER);
    const claims = decodeJwt(tokenOf(secretKubeconfig));
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it("prints the chart's values on stdout with --agent-values -", async () => {
    const access = await cluster("agent-access", MEMBER, "--agent-values", "-");
    expect(access.code, access.err).toBe(0);
    const values = parse(access.out) as {
      clusterName: string;
      hub: { bootstrapKubeconfig: string };
    };
    expect(values.clusterName).toBe(MEMBER);
    expect(values.hub.bootstrapKubeconfig).toBe(bootstrapKubeconfig);
    expect(access.err).toContain("Next: pipe these values to helm install flotilla-agent");
  });

  it("revokes the access: the agent's tokens stop working", async () => {
    const revoked = await cluster("agent-access", MEMBER, "--revoke");
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain(`Agent access for cluster "${MEMBER}" revoked`);
    const refused = await waitFor(
      "the revoked token to be refused",
      () =>
        whoAmI(secretKubeconfig).then(
          () => undefined,
          (error: unknown) => (error instanceof ApiException ? error.code : undefined),
        ),
      { timeoutMs: 30_000 },
    );
    expect(refused).toBe(401);
    const bootstrapRefused = await waitFor(
      "the revoked bootstrap token to be refused",
      () =>
        whoAmI(bootstrapKubeconfig).then(
          () => undefined,
          (error: unknown) => (error instanceof ApiException ? error.code : undefined),
        ),
      { timeoutMs: 30_000 },
    );
    expect(bootstrapRefused).toBe(401);
  });
});

describe("flotilla gateway register and unregister", () => {
  const clustergateways = () =>
    hubKc().makeApiClient(CustomObjectsApi).listClusterCustomObject({
      group: "cluster.core.oam.dev",
      version: "v1alpha1",
      plural: "clustergateways",
    }) as Promise<{ items: Array<{ metadata: { name: string } }> }>;

  it("makes a running gateway the hub's Available APIService", async () => {
    gateway = await startFleetGateway({ fleet, register: false });
    const ca = path.join(dir, "gateway-ca.crt");
    await writeFile(ca, gateway.caPem);
    const registered = await gatewayCli(
      "register",
      ...["--port", String(gateway.port), "--ca-file", ca],
    );
    expect(registered.err).toContain("Waiting until the hub reports");
    expect(registered.code).toBe(0);
    expect(registered.out.split("\n")).toEqual([
      "APIService v1alpha1.cluster.core.oam.dev registered: Service vela-system/flotilla-gateway → " +
        `localhost:${gateway.port} (ExternalName).`,
      "APIService v1alpha1.cluster.core.oam.dev is Available.",
    ]);
    const list = await clustergateways();
    expect(list.items.map((i) => i.metadata.name)).toEqual(["local", MEMBER]);
  });

  it("removes the APIService again", async () => {
    const removed = await gatewayCli("unregister");
    expect(removed.out).toBe(
      "APIService v1alpha1.cluster.core.oam.dev and Service vela-system/flotilla-gateway removed.",
    );
    // The hub drops the group from its discovery shortly after the APIService goes.
    const gone = await waitFor(
      "the hub to stop serving clustergateways",
      () =>
        clustergateways().then(
          () => undefined,
          (error: unknown) => (error instanceof ApiException ? error.code : undefined),
        ),
      { timeoutMs: 30_000 },
    );
    expect(gone).toBe(404);
    expect((await gatewayCli("unregister")).code).toBe(0);
  });
});
