import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { loadConnection, resolveConnection } from "./connect.js";
import { connectionFromKubeconfig, inClusterConnection } from "./connection.js";

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** A one-context kubeconfig with the given cluster and user entries. */
function kubeconfig(cluster: object, user: object, extra: object = {}): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "hub", cluster: { server: "https://127.0.0.1:6443/", ...cluster } }],
    users: [{ name: "admin", user }],
    contexts: [
      { name: "hub", context: { cluster: "hub", user: "admin" } },
      { name: "other", context: { cluster: "hub", user: "nobody" } },
    ],
    "current-context": "hub",
    ...extra,
  });
}

const disk: Record<string, string> = {
  "/cfg/ca.crt": "CA FROM FILE",
  "/cfg/certs/admin.crt": "CERT FROM FILE",
  "/cfg/certs/admin.key": "KEY FROM FILE",
};
const files = {
  baseDir: "/cfg",
  readFile: (file: string): string => {
    const text = disk[file];
    if (text === undefined) throw new Error(`ENOENT: ${file}`);
    return text;
  },
};
const parse = (text: string, context?: string) =>
  connectionFromKubeconfig(text, "hub.kubeconfig", files, context);

describe("connectionFromKubeconfig", () => {
  it("reads inline CA, client certificate and key, and trims the server's slash", () => {
    const text = kubeconfig(
      { "certificate-authority-data": b64("CA") },
      { "client-certificate-data": b64("CERT"), "client-key-data": b64("KEY") },
    );
    expect(parse(text)).toEqual({
      server: "https://127.0.0.1:6443",
      caPem: "CA",
      insecure: false,
      credential: { type: "X509Certificate", certPem: "CERT", keyPem: "KEY" },
    });
  });

  it("reads files relative to the kubeconfig's folder", () => {
    const text = kubeconfig(
      { "certificate-authority": "ca.crt", "tls-server-name": "kubernetes" },
      { "client-certificate": "certs/admin.crt", "client-key": "certs/admin.key" },
    );
    expect(parse(text)).toEqual({
      server: "https://127.0.0.1:6443",
      caPem: "CA FROM FILE",
      insecure: false,
      tlsServerName: "kubernetes",
      credential: { type: "X509Certificate", certPem: "CERT FROM FILE", keyPem: "KEY FROM FILE" },
    });
  });

  it("prefers the client certificate over a token, as kube-apiserver does", () => {
    const text = kubeconfig(
      {},
      { token: "t", "client-certificate-data": b64("C"), "client-key-data": b64("K") },
    );
    expect(parse(text).credential).toEqual({ type: "X509Certificate", certPem: "C", keyPem: "K" });
  });

  it("takes a token, else a token file kept as a path (read again as it rotates)", () => {
    expect(parse(kubeconfig({}, { token: "abc" })).credential).toEqual({
      type: "ServiceAccountToken",
      token: "abc",
    });
    expect(parse(kubeconfig({}, { tokenFile: "tokens/t" })).credential).toEqual({
      type: "ServiceAccountTokenFile",
      file: "/cfg/tokens/t",
    });
  });

  it("skips verification without a CA when insecure-skip-tls-verify is set", () => {
    const text = kubeconfig(
      { "insecure-skip-tls-verify": true, "certificate-authority-data": b64("CA") },
      { token: "t" },
    );
    expect(parse(text)).toEqual({
      server: "https://127.0.0.1:6443",
      insecure: true,
      credential: { type: "ServiceAccountToken", token: "t" },
    });
  });

  it("allows a user without credential (anonymous)", () => {
    expect(parse(kubeconfig({}, {}))).toEqual({
      server: "https://127.0.0.1:6443",
      insecure: false,
    });
  });

  it("refuses credentials it cannot present, naming the user and the context", () => {
    const exec = kubeconfig({}, { exec: { command: "aws-iam-authenticator" } });
    expect(() => parse(exec)).toThrow(InvalidInputError);
    expect(() => parse(exec)).toThrow(
      /user "admin" of context "hub" authenticates with an exec plugin \(aws-iam-authenticator\)/,
    );
    const oidc = kubeconfig({}, { "auth-provider": { name: "oidc", config: {} } });
    expect(() => parse(oidc)).toThrow(/an auth-provider \(oidc\)/);
    const half = kubeconfig({}, { "client-certificate-data": b64("C") });
    expect(() => parse(half)).toThrow(/client certificate without its key/);
  });

  it("refuses a proxy-url and names unreadable files", () => {
    expect(() => parse(kubeconfig({ "proxy-url": "socks5://p:1080" }, {}))).toThrow(
      /cluster "hub" in hub.kubeconfig has a proxy-url/,
    );
    expect(() => parse(kubeconfig({ "certificate-authority": "missing.crt" }, {}))).toThrow(
      /cannot read certificate-authority file \/cfg\/missing.crt/,
    );
  });

  it("selects another context, and names the contexts when one is missing", () => {
    const text = kubeconfig({}, { token: "t" });
    expect(parse(text, "other").credential).toBeUndefined();
    expect(() => parse(text, "nope")).toThrow(NotFoundError);
    expect(() => parse(text, "nope")).toThrow(
      /no context "nope" in the kubeconfig \(have: hub, other\)/,
    );
  });
});

describe("inClusterConnection", () => {
  const read = (file: string): string => `content of ${file}`;

  it("uses the service environment, the mounted CA and the token file", () => {
    const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    expect(inClusterConnection(env, read, "/sa")).toEqual({
      server: "https://10.96.0.1:443",
      caPem: "content of /sa/ca.crt",
      insecure: false,
      credential: { type: "ServiceAccountTokenFile", file: "/sa/token" },
    });
    const v6 = { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" };
    expect(inClusterConnection(v6, read, "/sa").server).toBe("https://[fd00::1]:443");
  });

  it("says what is missing outside a cluster", () => {
    expect(() => inClusterConnection({}, read)).toThrow(
      /no kubeconfig .*\(KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are unset\)/,
    );
  });
});

describe("resolveConnection", () => {
  it("reads a client-node KubeConfig through exportConfig(), paths made absolute by it", () => {
    const kc = new KubeConfig();
    kc.loadFromString(
      kubeconfig(
        { "certificate-authority-data": b64("CA") },
        { "client-certificate-data": b64("CERT"), "client-key-data": b64("KEY") },
      ),
    );
    expect(resolveConnection(kc)).toEqual({
      server: "https://127.0.0.1:6443",
      caPem: "CA",
      insecure: false,
      credential: { type: "X509Certificate", certPem: "CERT", keyPem: "KEY" },
    });
  });

  it("maps client-node's in-cluster token-file auth provider to a token file", () => {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(
      { name: "c", server: "https://10.0.0.1:443", skipTLSVerify: true },
      { name: "u", authProvider: { name: "tokenFile", config: { tokenFile: "/sa/token" } } },
    );
    expect(resolveConnection(kc)).toEqual({
      server: "https://10.0.0.1", // the URL's default port is left out
      insecure: true,
      credential: { type: "ServiceAccountTokenFile", file: "/sa/token" },
    });
  });

  it("passes a plain connection through", () => {
    const connection = { server: "https://h:1", insecure: false };
    expect(resolveConnection(connection)).toBe(connection);
  });
});

describe("loadConnection", () => {
  const disk: Record<string, string> = {
    "/cfg/hub.kubeconfig": kubeconfig({ "certificate-authority": "ca.crt" }, { token: "abc" }),
    "/cfg/ca.crt": "CA FROM FILE",
    "/sa/ca.crt": "IN-CLUSTER CA",
  };
  const read = (file: string): string => {
    const text = disk[file];
    if (text === undefined) throw new Error(`ENOENT: ${file}`);
    return text;
  };

  it("reads a kubeconfig file, its files relative to its folder", () => {
    expect(loadConnection("/cfg/hub.kubeconfig", {}, read)).toEqual({
      server: "https://127.0.0.1:6443",
      caPem: "CA FROM FILE",
      insecure: false,
      credential: { type: "ServiceAccountToken", token: "abc" },
    });
  });

  it("names a kubeconfig it cannot read", () => {
    expect(() => loadConnection("/cfg/none", {}, read)).toThrow(InvalidInputError);
    expect(() => loadConnection("/cfg/none", {}, read)).toThrow(
      /cannot read kubeconfig file \/cfg\/none: ENOENT/,
    );
  });

  it("falls back to the in-cluster ServiceAccount without a kubeconfig", () => {
    const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    expect(() => loadConnection(undefined, {}, read)).toThrow(/not in a cluster/);
    // The default in-cluster folder is not on this fake disk: the CA read names it.
    expect(() => loadConnection(undefined, env, read)).toThrow(
      /cannot read in-cluster CA file \/var\/run\/secrets\/kubernetes.io\/serviceaccount\/ca.crt/,
    );
  });
});
