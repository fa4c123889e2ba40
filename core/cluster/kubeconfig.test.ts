import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { InvalidInputError, NotFoundError } from "../errors.js";
import {
  exportKubeconfig,
  memberCredential,
  memberEndpoint,
  normalizeEndpoint,
  parseKubeconfig,
  selectContext,
  type KubeconfigFiles,
} from "./kubeconfig.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

const doc = parseKubeconfig(
  stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "admin@prod",
    clusters: [
      {
        name: "prod",
        cluster: { server: "https://10.0.0.1:6443/", "certificate-authority-data": b64("CA") },
      },
      {
        name: "files",
        cluster: { server: "10.0.0.2:6443", "certificate-authority": "pki/ca.crt" },
      },
      {
        name: "insecure",
        cluster: {
          server: "https://10.0.0.3",
          "insecure-skip-tls-verify": true,
          "certificate-authority-data": b64("CA"),
        },
      },
    ],
    users: [
      {
        name: "admin",
        user: { "client-certificate-data": b64("CERT"), "client-key-data": b64("KEY") },
      },
      {
        name: "file-user",
        user: { "client-certificate": "pki/admin.crt", "client-key": "/abs/admin.key" },
      },
      { name: "token-user", user: { token: "abc", "client-certificate-data": b64("CERT") } },
      { name: "token-file-user", user: { tokenFile: "token" } },
      { name: "exec-user", user: { exec: { command: "aws", args: ["eks", "get-token"] } } },
      { name: "half-user", user: { "client-certificate-data": b64("CERT") } },
      { name: "empty-user", user: {} },
    ],
    contexts: [
      { name: "admin@prod", context: { cluster: "prod", user: "admin" } },
      { name: "files", context: { cluster: "files", user: "file-user" } },
      { name: "token", context: { cluster: "insecure", user: "token-user" } },
      { name: "token-file", context: { cluster: "prod", user: "token-file-user" } },
      { name: "exec", context: { cluster: "prod", user: "exec-user" } },
      { name: "half", context: { cluster: "prod", user: "half-user" } },
      { name: "empty", context: { cluster: "prod", user: "empty-user" } },
      { name: "dangling", context: { cluster: "nowhere", user: "admin" } },
    ],
  }),
  "test.kubeconfig",
);

const disk: Record<string, string> = {
  "/home/me/.kube/pki/ca.crt": "FILE-CA",
  "/home/me/.kube/pki/admin.crt": "FILE-CERT",
  "/abs/admin.key": "FILE-KEY",
  "/home/me/.kube/token": "file-token\n",
};
const files: KubeconfigFiles = {
  baseDir: "/home/me/.kube",
  readFile: (file) => {
    const text = disk[file];
    if (text === undefined) throw new Error(`ENOENT: ${file}`);
    return text;
  },
};

describe("member kubeconfigs", () => {
  it("uses the current context by default and names its cluster", () => {
    const selected = selectContext(doc);
    expect(selected.contextName).toBe("admin@prod");
    expect(selected.clusterName).toBe("prod");
    expect(memberEndpoint(selected, files)).toEqual({
      endpoint: "https://10.0.0.1:6443",
      caPem: "CA",
    });
    expect(memberCredential(selected, files)).toEqual({
      type: "X509Certificate",
      certPem: "CERT",
      keyPem: "KEY",
    });
  });

  it("reads CA and client certificate files relative to the kubeconfig's folder", () => {
    const selected = selectContext(doc, "files");
    expect(memberEndpoint(selected, files)).toEqual({
      endpoint: "https://10.0.0.2:6443",
      caPem: "FILE-CA",
    });
    expect(memberCredential(selected, files)).toEqual({
      type: "X509Certificate",
      certPem: "FILE-CERT",
      keyPem: "FILE-KEY",
    });
  });

  it("prefers a token (as KubeVela does), reads tokenFile, and drops the CA when verification is off", () => {
    const token = selectContext(doc, "token");
    expect(memberCredential(token, files)).toEqual({ type: "ServiceAccountToken", token: "abc" });
    expect(memberEndpoint(token, files)).toEqual({ endpoint: "https://10.0.0.3" });
    expect(memberCredential(selectContext(doc, "token-file"), files)).toEqual({
      type: "ServiceAccountToken",
      token: "file-token",
    });
  });

  it("explains unsupported or incomplete credentials", () => {
    const exec = () => memberCredential(selectContext(doc, "exec"), files);
    expect(exec).toThrow(InvalidInputError);
    expect(exec).toThrow(/authenticates with an exec plugin \(aws\)/);
    expect(exec).toThrow(/client certificate .* or a bearer token .*--create-service-account/);
    expect(() => memberCredential(selectContext(doc, "half"), files)).toThrow(/without its key/);
    expect(() => memberCredential(selectContext(doc, "empty"), files)).toThrow(/has no credential/);
  });

  it("names missing contexts, clusters and files", () => {
    expect(() => selectContext(doc, "nope")).toThrow(NotFoundError);
    expect(() => selectContext(doc, "nope")).toThrow(/have: admin@prod, files/);
    expect(() => selectContext(doc, "dangling")).toThrow(/cluster "nowhere"/);
    const broken: KubeconfigFiles = { ...files, baseDir: "/elsewhere" };
    expect(() => memberEndpoint(selectContext(doc, "files"), broken)).toThrow(
      /cannot read certificate-authority file \/elsewhere\/pki\/ca.crt/,
    );
    expect(() => parseKubeconfig("a: [", "x.yaml")).toThrow(/x.yaml is not valid YAML/);
    expect(() => parseKubeconfig("a: 1", "x.yaml")).toThrow(/x.yaml is not a kubeconfig/);
  });

  it("normalises endpoints", () => {
    expect(normalizeEndpoint("10.0.0.1:6443")).toBe("https://10.0.0.1:6443");
    expect(normalizeEndpoint("https://k8s.example.com/rancher/k8s/clusters/c-1/")).toBe(
      "https://k8s.example.com/rancher/k8s/clusters/c-1",
    );
    expect(() => normalizeEndpoint("ftp://x")).toThrow(/must be http/);
  });
});

describe("export-config", () => {
  it("points the hub's cluster entry at the gateway proxy and keeps the hub's user", () => {
    const hub = selectContext(doc, "files");
    const config = exportKubeconfig({ cluster: "member-1", hub, baseDir: "/home/me/.kube" });
    expect(config).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "member-1",
          cluster: {
            server:
              "https://10.0.0.2:6443/apis/cluster.core.oam.dev/v1alpha1/clustergateways/member-1/proxy",
            "certificate-authority": "/home/me/.kube/pki/ca.crt",
          },
        },
      ],
      users: [
        {
          name: "file-user",
          user: {
            "client-certificate": "/home/me/.kube/pki/admin.crt",
            "client-key": "/abs/admin.key",
          },
        },
      ],
      contexts: [{ name: "member-1", context: { cluster: "member-1", user: "file-user" } }],
      "current-context": "member-1",
      preferences: {},
    });
  });
});
