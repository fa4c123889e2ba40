/**
 * The charts' renders against a real API server (a one-cluster fleet): every object passes
 * `kubectl apply --dry-run=server` (field names, apiVersions, RBAC rules the server accepts),
 * and, with the RBAC objects applied for real, `kubectl auth can-i` as each ServiceAccount
 * shows least privilege: what the code needs is allowed; Secrets outside the cluster
 * namespace and any change to RBAC objects are not. cert-manager and Prometheus Operator
 * objects are left out of the dry-run (their CRDs are not on the fleet); the goldens cover them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { chartPath, helmBinary, run, template, valuesPath, type Render } from "./helm.js";

let fleet: Fleet;
let kubectl: string;
let kubeconfig: string;

const kube = (args: readonly string[], input?: string) =>
  run(kubectl, ["--kubeconfig", kubeconfig, ...args], input);

beforeAll(async () => {
  const binaries = await ensureBinaries();
  await helmBinary();
  kubectl = binaries.kubectl;
  fleet = await startFleet({ binaries, clusters: [{ name: "local", hub: true, nodes: 1 }] });
  kubeconfig = fleet.cluster("local").kubeconfigFile;
  // The release namespaces exist before an install (helm --create-namespace, or the admin).
  const namespaces = ["flotilla-system", "vela-system"].map((name) =>
    stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } }),
  );
  const created = await kube(["apply", "-f", "-"], namespaces.join("---\n"));
  expect(created.stderr).toBe("");
}, 240_000);

afterAll(async () => {
  await fleet?.stop();
});

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** The rendered objects, without the API groups the fleet does not serve. */
async function objects(render: Render): Promise<Manifest[]> {
  const docs = parseAllDocuments(await template(render)).map((d) => d.toJS() as Manifest | null);
  const served = (m: Manifest) =>
    !/^(cert-manager\.io|monitoring\.coreos\.com)\//.test(m.apiVersion);
  return docs.filter((m): m is Manifest => m !== null && served(m));
}

const yamlOf = (manifests: readonly Manifest[]): string =>
  manifests.map((m) => stringify(m)).join("---\n");

const renders: Record<string, Render> = {
  "the hub chart": {
    release: "flotilla",
    chart: "flotilla",
    namespace: "flotilla-system",
    values: "flotilla.yaml",
  },
  "the hub chart with every option": {
    release: "flotilla",
    chart: "flotilla",
    namespace: "flotilla-system",
    values: "flotilla-options.yaml",
    flags: ["--api-versions", "monitoring.coreos.com/v1"],
  },
  "the agent chart": {
    release: "flotilla-agent",
    chart: "flotilla-agent",
    namespace: "vela-system",
    values: "flotilla-agent.yaml",
  },
};

describe("kubectl apply --dry-run=server", () => {
  it.each(Object.keys(renders))("accepts every object of %s", async (name) => {
    const manifests = await objects(renders[name]!);
    expect(manifests.length).toBeGreaterThan(5);
    const result = await kube(["apply", "--dry-run=server", "-f", "-"], yamlOf(manifests));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const accepted = result.stdout.split("\n").filter((line) => line.endsWith("(server dry run)"));
    expect(accepted).toHaveLength(manifests.length);
  });
});

describe("helm install, then helm upgrade", () => {
  it("installs the CRDs and keeps the gateway's generated CA", async () => {
    // Its own release and namespace; no APIService, which would point at gateway pods that
    // do not run here and make every discovery on this API server fail.
    const helm = async (verb: string) =>
      run(await helmBinary(), [
        ...[verb, "fl2", chartPath("flotilla"), "--kubeconfig", kubeconfig],
        ...["-n", "fl2-system", "--create-namespace", "-f", valuesPath("flotilla.yaml")],
        ...["--set", "apiService.create=false"],
      ]);
    const caOf = async () => {
      const args = ["-n", "fl2-system", "get", "secret", "fl2-flotilla-gateway-tls"];
      const result = await kube([...args, "-o", "jsonpath={.data.ca\\.crt}"]);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    };
    const installed = await helm("install");
    expect(installed.code, installed.stderr).toBe(0);
    const crd = await kube(["get", "crd", "applications.core.oam.dev"]);
    expect(crd.code, crd.stderr).toBe(0);
    const first = await caOf();
    expect(first).toMatch(/^LS0t/);
    const upgraded = await helm("upgrade");
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(await caOf()).toBe(first);
  });
});

const rbacKinds = new Set([
  "ServiceAccount",
  "Role",
  "RoleBinding",
  "ClusterRole",
  "ClusterRoleBinding",
]);

/** `kubectl auth can-i` as a ServiceAccount of flotilla-system: true for "yes". */
async function can(sa: string, ...args: string[]): Promise<boolean> {
  const as = `system:serviceaccount:flotilla-system:${sa}`;
  const result = await kube(["auth", "can-i", "--as", as, ...args]);
  // A kubectl error must not pass for a "no".
  expect(result.stdout.trim(), `${args.join(" ")}: ${result.stderr}`).toMatch(/^(yes|no)$/);
  return result.stdout.trim() === "yes";
}

/** A SubjectAccessReview as a ServiceAccount of flotilla-system: true when allowed. */
async function reviewed(sa: string, resourceAttributes: Record<string, string>): Promise<boolean> {
  const review = {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SubjectAccessReview",
    spec: { user: `system:serviceaccount:flotilla-system:${sa}`, resourceAttributes },
  };
  const args = ["create", "-f", "-", "-o", "jsonpath={.status.allowed}"];
  const result = await kube(args, JSON.stringify(review));
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim() === "true";
}

describe("the hub chart's RBAC, applied", () => {
  beforeAll(async () => {
    const manifests = (await objects(renders["the hub chart"]!)).filter((m) =>
      rbacKinds.has(m.kind),
    );
    const result = await kube(["apply", "-f", "-"], yamlOf(manifests));
    expect(result.code, result.stderr).toBe(0);
  });

  it("lets the hub do what its code does", async () => {
    const allowed = [
      ["watch", "applications.core.oam.dev", "--all-namespaces"],
      ["patch", "applications.core.oam.dev", "--subresource", "status", "-n", "team-a"],
      ["list", "traitdefinitions.core.oam.dev", "--all-namespaces"],
      ["create", "applicationrevisions.core.oam.dev", "-n", "team-a"],
      ["update", "resourcetrackers.core.oam.dev"],
      ["patch", "configmaps", "-n", "team-a"],
      ["create", "events", "-n", "team-a"],
      ["get", "customresourcedefinitions.apiextensions.k8s.io/applications.core.oam.dev"],
      ["watch", "secrets", "-n", "vela-system"],
      ["watch", "leases.coordination.k8s.io", "-n", "vela-system"],
      ["update", "leases.coordination.k8s.io/flotilla-hub", "-n", "vela-system"],
      [
        "patch",
        "clusterreports.cluster.flotilla.dev",
        "--subresource",
        "status",
        "-n",
        "vela-system",
      ],
    ];
    for (const args of allowed)
      expect(await can("flotilla-hub", ...args), args.join(" ")).toBe(true);
    // Not served without running gateway pods, so `kubectl auth can-i` cannot resolve it.
    for (const verb of ["get", "create", "update", "patch", "delete"]) {
      const proxy = { group: "cluster.core.oam.dev", resource: "clustergateways" };
      const attributes = { verb, ...proxy, subresource: "proxy", name: "member-1" };
      expect(await reviewed("flotilla-hub", attributes), verb).toBe(true);
    }
  });

  it("lets the gateway read the credential Secrets and review access", async () => {
    expect(await can("flotilla-gateway", "watch", "secrets", "-n", "vela-system")).toBe(true);
    expect(await can("flotilla-gateway", "create", "subjectaccessreviews")).toBe(true);
    const reader = ["get", "configmaps/extension-apiserver-authentication", "-n", "kube-system"];
    expect(await can("flotilla-gateway", ...reader)).toBe(true);
  });

  it("gives neither Secrets elsewhere, RBAC changes, nor the hub's workloads", async () => {
    const denied = [
      ["get", "secrets", "-n", "kube-system"],
      ["list", "secrets", "-n", "kube-system"],
      ["get", "secrets", "-n", "default"],
      ["list", "secrets", "-n", "default"],
      ["list", "secrets", "--all-namespaces"],
      ["create", "roles.rbac.authorization.k8s.io", "-n", "vela-system"],
      ["update", "roles.rbac.authorization.k8s.io", "-n", "default"],
      ["create", "clusterroles.rbac.authorization.k8s.io"],
      ["update", "clusterroles.rbac.authorization.k8s.io"],
      ["create", "rolebindings.rbac.authorization.k8s.io", "-n", "vela-system"],
      ["update", "rolebindings.rbac.authorization.k8s.io", "-n", "kube-system"],
      ["create", "clusterrolebindings.rbac.authorization.k8s.io"],
      ["update", "clusterrolebindings.rbac.authorization.k8s.io"],
      ["escalate", "clusterroles.rbac.authorization.k8s.io"],
      ["bind", "clusterroles.rbac.authorization.k8s.io"],
      ["create", "deployments.apps", "-n", "default"],
      ["create", "customresourcedefinitions.apiextensions.k8s.io"],
      ["*", "*"],
    ];
    for (const sa of ["flotilla-hub", "flotilla-gateway"])
      for (const args of denied)
        expect(await can(sa, ...args), `${sa} ${args.join(" ")}`).toBe(false);
  });
});
