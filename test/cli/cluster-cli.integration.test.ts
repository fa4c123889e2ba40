/**
 * `flotilla cluster ...` against a real hub and a real member (one fleet for the file): join
 * with the member's X509 kubeconfig and with a created ServiceAccount token, refusals
 * (duplicate, `local`, unreachable), list, labels, alias, rename, probe, export-config, and a
 * detach refused while an Application's topology selects the cluster. The steps build on each
 * other and run in order.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  ApiException,
  ApiextensionsV1Api,
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  loadYaml,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { provisionAgentBootstrap } from "../../core/install/agent-bootstrap.js";
import { main } from "../../cli/main.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { waitFor } from "../../fleet/wait.js";

let fleet: Fleet;
let hubFile: string;
let memberFile: string;
let dir: string;

const hubKc = (): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromFile(hubFile);
  return kc;
};
const secretOf = (name: string) =>
  hubKc().makeApiClient(CoreV1Api).readNamespacedSecret({ name, namespace: "vela-system" });
const unb64 = (v: string | undefined): string => Buffer.from(v ?? "", "base64").toString("utf8");

async function flotilla(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const code = await main(["node", "flotilla", "cluster", ...args, "--kubeconfig", hubFile], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  fleet = await startFleet({ clusters: [{ name: "local", hub: true }, { name: "member-1" }] });
  hubFile = fleet.cluster("local").kubeconfigFile;
  memberFile = fleet.cluster("member-1").kubeconfigFile;
  dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-cluster-it-"));
});

afterAll(async () => {
  await fleet?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("flotilla cluster", () => {
  it("joins a member with the X509 credential of its kubeconfig", async () => {
    const joined = await flotilla("join", memberFile, "--labels", "region=eu,tier=prod");
    expect(joined.err).toBe("");
    expect(joined.code).toBe(0);
    const member = fleet.cluster("member-1");
    expect(joined.out).toMatch(
      new RegExp(
        `^Cluster "member-1" joined: ${member.server} \\(X509Certificate, .*Kubernetes v1\\.`,
      ),
    );
    const secret = await secretOf("member-1");
    expect(secret.metadata?.labels).toMatchObject({
      "cluster.core.oam.dev/cluster-credential-type": "X509Certificate",
      region: "eu",
      tier: "prod",
    });
    expect(unb64(secret.data?.endpoint)).toBe(member.server);
    expect(unb64(secret.data?.["ca.crt"])).toBe(member.caPem);
    expect(unb64(secret.data?.["tls.crt"])).toBe(member.admin.certPem);
  });

  it("refuses a duplicate name, the reserved name local and an unreachable member", async () => {
    const again = await flotilla("join", memberFile);
    expect(again.code).toBe(1);
    expect(again.err).toContain('a cluster named "member-1" is already registered');
    const local = await flotilla("join", memberFile, "--name", "local");
    expect(local.err).toContain('cannot use "local" as a cluster name');

    const closed = fleet.cluster("member-1").server.replace(/:\d+$/, ":1");
    const text = (await readFile(memberFile, "utf8")).replace(
      fleet.cluster("member-1").server,
      closed,
    );
    const gone = path.join(dir, "gone.kubeconfig");
    await writeFile(gone, text);
    const unreachable = await flotilla("join", gone, "--name", "gone");
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(
      /cannot join cluster "gone": cannot reach .*:1: .*ECONNREFUSED/,
    );
    await expect(secretOf("gone")).rejects.toThrow();
  });

  it("joins with a created ServiceAccount token that works against the member", async () => {
    const joined = await flotilla(
      "join",
      memberFile,
      "--name",
      "member-1-sa",
      "--create-service-account",
    );
    expect(joined.code).toBe(0);
    expect(joined.out).toContain(
      "(ServiceAccountToken, authenticated as system:serviceaccount:kube-system:flotilla-cluster-gateway",
    );
    const secret = await secretOf("member-1-sa");
    expect(secret.metadata?.labels?.["cluster.core.oam.dev/cluster-credential-type"]).toBe(
      "ServiceAccountToken",
    );
    expect(secret.data?.["tls.key"]).toBeUndefined();
    const kc = new KubeConfig();
    const member = fleet.cluster("member-1");
    kc.loadFromOptions({
      clusters: [
        { name: "m", server: member.server, caData: Buffer.from(member.caPem).toString("base64") },
      ],
      users: [{ name: "sa", token: unb64(secret.data?.token) }],
      contexts: [{ name: "m", cluster: "m", user: "sa" }],
      currentContext: "m",
    });
    const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    });
    expect(review.status?.userInfo?.username).toBe(
      "system:serviceaccount:kube-system:flotilla-cluster-gateway",
    );
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain("kube-system");
  });

  it("lists local and the members as a table and as JSON", async () => {
    const table = await flotilla("list");
    const rows = table.out.split("\n");
    expect(rows[0]).toMatch(
      /^NAME\s+ALIAS\s+READY\s+VERSION\s+NODES\s+POOLS\s+LAST-SEEN\s+CREDENTIAL\s+ENDPOINT\s+LABELS$/,
    );
    expect(rows[1]).toMatch(
      new RegExp(
        `^local\\s+-\\s+Ready\\s+v\\S+\\s+-\\s+-\\s+-\\s+Internal\\s+${fleet.cluster("local").server}\\s+-$`,
      ),
    );
    // No agent runs for these members: nothing vouches for them.
    expect(rows[2]).toMatch(
      /^member-1\s+-\s+Unknown(\s+-){4}\s+X509Certificate\s+https:\S+\s+region=eu,tier=prod$/,
    );
    expect(rows[3]).toMatch(
      /^member-1-sa\s+-\s+Unknown(\s+-){4}\s+ServiceAccountToken\s+https:\S+\s+-$/,
    );
    const json = JSON.parse((await flotilla("list", "-o", "json")).out) as Array<{
      name: string;
      labels: object;
    }>;
    expect(json.map((c) => c.name)).toEqual(["local", "member-1", "member-1-sa"]);
    expect(json[1]?.labels).toEqual({ region: "eu", tier: "prod" });
  });

  it("adds and deletes labels, sets an alias and renames", async () => {
    expect((await flotilla("labels", "add", "member-1", "zone=a,tier=gold")).out).toBe(
      'Cluster "member-1" labels: region=eu,tier=gold,zone=a',
    );
    expect((await flotilla("labels", "del", "member-1", "tier,zone")).out).toBe(
      'Cluster "member-1" labels: region=eu',
    );
    expect((await flotilla("labels", "del", "member-1", "nope")).err).toContain(
      'has no label "nope"',
    );
    expect((await flotilla("alias", "member-1", "frankfurt")).code).toBe(0);
    const secret = await secretOf("member-1");
    expect(secret.metadata?.annotations?.["cluster.core.oam.dev/cluster-alias"]).toBe("frankfurt");
    expect(secret.metadata?.labels?.region).toBe("eu");
    expect(secret.metadata?.labels?.tier).toBeUndefined();

    expect((await flotilla("rename", "member-1-sa", "member-1")).err).toContain(
      'a cluster named "member-1" is already registered',
    );
    expect((await flotilla("rename", "member-1-sa", "member-2")).out).toBe(
      'Cluster "member-1-sa" renamed to "member-2".',
    );
    const names = JSON.parse((await flotilla("list", "-o", "json")).out) as Array<{
      name: string;
      alias?: string;
    }>;
    expect(names.map((c) => `${c.name}:${c.alias ?? ""}`)).toEqual([
      "local:",
      "member-1:frankfurt",
      "member-2:",
    ]);
  });

  it("probes clusters: ok, and failing with the reason", async () => {
    const ok = await flotilla("probe", "member-2");
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^Cluster "member-2" \(https:\S+\) is reachable: Kubernetes v1\.\d+/);
    expect((await flotilla("probe", "local")).code).toBe(0);
    const good = await clusterRegistry({ hub: hubKc() }).get("member-2");
    await clusterRegistry({ hub: hubKc() }).create({
      ...good,
      name: "stale",
      credential: { type: "ServiceAccountToken", token: "revoked" },
    });
    const stale = await flotilla("probe", "stale");
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/^Cluster "stale" \(https:\S+\): credential rejected: .*HTTP 401/);
    expect((await flotilla("probe", "absent")).err).toBe(
      'error: no cluster "absent" is registered',
    );
  });

  it("exports a kubeconfig that reaches the member through the hub's gateway", async () => {
    const exported = await flotilla("export-config", "member-2");
    expect(exported.code).toBe(0);
    const config = parse(exported.out) as {
      clusters: Array<{ name: string; cluster: Record<string, string> }>;
      users: Array<{ user: Record<string, string> }>;
      "current-context": string;
    };
    const hub = fleet.cluster("local");
    expect(config.clusters[0]?.cluster.server).toBe(
      `${hub.server}/apis/cluster.core.oam.dev/v1alpha1/clustergateways/member-2/proxy`,
    );
    expect(config.clusters[0]?.cluster["certificate-authority-data"]).toBe(
      Buffer.from(hub.caPem).toString("base64"),
    );
    expect(unb64(config.users[0]?.user["client-certificate-data"])).toBe(hub.admin.certPem);
    expect(config["current-context"]).toBe("member-2");
  });

  it("refuses to detach a cluster an application selects, unless --force", async () => {
    const kc = hubKc();
    // loadYaml maps x-kubernetes-* keys to the client's model (a plain parse would lose them).
    const crd = loadYaml<V1CustomResourceDefinition>(
      await readFile(
        path.join(import.meta.dirname, "..", "fixtures", "crds", "application.yaml"),
        "utf8",
      ),
    );
    await kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({ body: crd });
    const apps = kc.makeApiClient(CustomObjectsApi);
    const app = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name: "web" },
      spec: {
        components: [{ name: "web", type: "webservice", properties: { image: "nginx" } }],
        policies: [
          { name: "eu", type: "topology", properties: { clusterLabelSelector: { region: "eu" } } },
        ],
      },
    };
    const target = {
      group: "core.oam.dev",
      version: "v1beta1",
      namespace: "default",
      plural: "applications",
    };
    await waitFor(
      "the Application CRD to serve",
      () => apps.createNamespacedCustomObject({ ...target, body: app }),
      {
        timeoutMs: 30_000,
      },
    );

    const refused = await flotilla("detach", "member-1");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("default/web (policy eu, by labels)");
    expect((await secretOf("member-1")).metadata?.name).toBe("member-1");

    // member-2's agent has both hub identities; detach removes them with the cluster.
    await provisionAgentBootstrap({ hub: hubKc(), cluster: "member-2" });
    expect((await flotilla("detach", "member-2")).out).toBe('Cluster "member-2" detached.');
    const core = hubKc().makeApiClient(CoreV1Api);
    for (const name of ["flotilla-agent-member-2", "flotilla-agent-member-2-bootstrap"])
      await expect(
        core.readNamespacedServiceAccount({ name, namespace: "vela-system" }),
        name,
      ).rejects.toSatisfy((e) => e instanceof ApiException && e.code === 404);
    await expect(
      core.readNamespacedSecret({
        name: "flotilla-agent-member-2-bootstrap-token",
        namespace: "vela-system",
      }),
    ).rejects.toSatisfy((e) => e instanceof ApiException && e.code === 404);
    const forced = await flotilla("detach", "member-1", "--force");
    expect(forced.code).toBe(0);
    expect(forced.err).toContain("default/web");
    const names = JSON.parse((await flotilla("list", "-o", "json")).out) as Array<{ name: string }>;
    expect(names.map((c) => c.name)).toEqual(["local", "stale"]);
  });
});
