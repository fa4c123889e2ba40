import { describe, expect, it } from "vitest";
import { apiserverArgs, etcdArgs, kwokArgs } from "./components.js";
import type { ClusterPki, KeyPair } from "./pki.js";

const pair = (name: string): KeyPair => ({
  certFile: `/pki/${name}.crt`,
  keyFile: `/pki/${name}.key`,
  cert: "",
  key: "",
});
const pki: ClusterPki = {
  dir: "/pki",
  ca: pair("ca"),
  apiserver: pair("apiserver"),
  admin: pair("admin"),
  controllerManager: pair("controller-manager"),
  scheduler: pair("scheduler"),
  kubeletClient: pair("apiserver-kubelet-client"),
  serviceAccountKey: "/pki/sa.key",
  serviceAccountPub: "/pki/sa.pub",
};
const ports = { apiserver: 40001, controllerManager: 40002, scheduler: 40003, kwok: 40004 };
const input = {
  name: "member-1",
  etcdUrl: "http://127.0.0.1:40000",
  ports,
  pki,
  serviceCidr: "10.96.0.0/16",
};

describe("component command lines", () => {
  it("binds the API server to loopback under the cluster's own etcd prefix", () => {
    const args = apiserverArgs(input);
    expect(args).toContain("--bind-address=127.0.0.1");
    expect(args).toContain("--secure-port=40001");
    expect(args).toContain("--etcd-prefix=/flotilla/member-1");
    expect(args.some((a) => a.startsWith("--requestheader-client-ca-file"))).toBe(false);
  });

  it("enables the aggregation layer when the cluster has a front proxy", () => {
    const args = apiserverArgs({
      ...input,
      pki: {
        ...pki,
        frontProxy: { ca: pair("front-proxy-ca"), client: pair("front-proxy-client") },
      },
    });
    expect(args).toContain("--requestheader-client-ca-file=/pki/front-proxy-ca.crt");
    expect(args).toContain("--requestheader-allowed-names=front-proxy-client");
    expect(args).toContain("--proxy-client-cert-file=/pki/front-proxy-client.crt");
    expect(args).toContain("--requestheader-username-headers=X-Remote-User");
    // a gateway process registers with an ExternalName Service, which endpoint routing refuses
    expect(args).not.toContain("--enable-aggregator-routing=true");
    const inCluster = apiserverArgs({
      ...input,
      aggregatorRouting: true,
      pki: { ...pki, frontProxy: { ca: pair("a"), client: pair("b") } },
    });
    expect(inCluster).toContain("--enable-aggregator-routing=true");
  });

  it("runs kwok for annotated nodes only, with its server on loopback", () => {
    const args = kwokArgs({ kubeconfig: "/k", port: 40004, stagesFile: "/s.yaml" });
    expect(args).toContain("--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake");
    expect(args).toContain("--server-address=127.0.0.1:40004");
  });

  it("keeps etcd on loopback", () => {
    const args = etcdArgs({ dataDir: "/d", clientPort: 1, peerPort: 2 });
    expect(args.filter((a) => a.includes("http://")).every((a) => a.includes("127.0.0.1"))).toBe(
      true,
    );
  });
});
