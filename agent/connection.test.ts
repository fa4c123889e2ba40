import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../core/errors.js";
import { connectionFromKubeconfig, inClusterConnection } from "./connection.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const kubeconfig = (user: string) => `
apiVersion: v1
kind: Config
clusters:
  - name: hub
    cluster: { server: "https://127.0.0.1:6443", certificate-authority: ca.pem }
users:
  - name: agent
    user: ${user}
contexts:
  - name: agent
    context: { cluster: hub, user: agent }
current-context: agent
`;

describe("connectionFromKubeconfig", () => {
  const files = (user: string): Record<string, string> => ({
    "/cfg/hub.kubeconfig": kubeconfig(user),
    "/cfg/ca.pem": "CA PEM",
  });
  const reader = (all: Record<string, string>) => (file: string) => {
    const text = all[file];
    if (text === undefined) throw new Error(`ENOENT ${file}`);
    return text;
  };

  it("reads a bearer token and the CA file relative to the kubeconfig", () => {
    const c = connectionFromKubeconfig("/cfg/hub.kubeconfig", reader(files("{ token: abc }")));
    expect(c.server).toBe("https://127.0.0.1:6443");
    expect(c.caPem).toBe("CA PEM");
    expect(c.token?.()).toBe("abc");
    expect(c.insecure).toBeUndefined();
  });

  it("skips TLS verification only when the kubeconfig says so", () => {
    const all = files("{ token: abc }");
    all["/cfg/hub.kubeconfig"] = (all["/cfg/hub.kubeconfig"] as string).replace(
      "certificate-authority: ca.pem",
      "insecure-skip-tls-verify: true",
    );
    const c = connectionFromKubeconfig("/cfg/hub.kubeconfig", reader(all));
    expect([c.insecure, c.caPem]).toEqual([true, undefined]);
  });

  it("reads a client certificate", () => {
    const user = `{ client-certificate-data: ${b64("CERT")}, client-key-data: ${b64("KEY")} }`;
    const c = connectionFromKubeconfig("/cfg/hub.kubeconfig", reader(files(user)));
    expect([c.certPem, c.keyPem, c.token]).toEqual(["CERT", "KEY", undefined]);
  });

  it("names a missing file or an unsupported credential", () => {
    expect(() => connectionFromKubeconfig("/cfg/none", reader({}))).toThrow(
      /cannot read kubeconfig \/cfg\/none/,
    );
    const exec = "{ exec: { command: aws } }";
    expect(() => connectionFromKubeconfig("/cfg/hub.kubeconfig", reader(files(exec)))).toThrow(
      InvalidInputError,
    );
  });
});

describe("inClusterConnection", () => {
  it("uses the service host, the mounted CA, and re-reads the rotated token each minute", () => {
    let token = "t1";
    let now = 0;
    const read = (file: string) => (file.endsWith("/token") ? `${token}\n` : "IN-CLUSTER CA");
    const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const c = inClusterConnection(env, read, () => now);
    expect(c.server).toBe("https://10.96.0.1:443");
    expect(c.caPem).toBe("IN-CLUSTER CA");
    token = "t2";
    now = 59_000;
    expect(c.token?.()).toBe("t1");
    now = 60_000;
    expect(c.token?.()).toBe("t2");
  });

  it("says what to do outside a cluster", () => {
    expect(() => inClusterConnection({})).toThrow(/pass --kubeconfig/);
  });
});
