import { mkdtemp, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  buildKubeconfig,
  endpointFromKubeconfig,
  readKubeconfig,
  writeKubeconfig,
} from "./kubeconfig.js";

const input = {
  name: "member-1",
  server: "https://127.0.0.1:6443",
  caPem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  clientCertPem: "CERT",
  clientKeyPem: "KEY",
};

describe("kubeconfig", () => {
  it("embeds base64 credentials under one context named after the cluster", () => {
    const config = buildKubeconfig(input);
    expect(config["current-context"]).toBe("member-1");
    expect(config.contexts).toEqual([
      { name: "member-1", context: { cluster: "member-1", user: "member-1-admin" } },
    ]);
    const cluster = config.clusters[0]?.cluster ?? {};
    expect(cluster.server).toBe("https://127.0.0.1:6443");
    expect(Buffer.from(cluster["certificate-authority-data"] ?? "", "base64").toString()).toBe(
      input.caPem,
    );
    expect(config.users[0]?.user["client-key-data"]).toBe(Buffer.from("KEY").toString("base64"));
  });

  it("round-trips through a file readable as YAML, private to its owner", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-kc-"));
    const file = path.join(dir, "nested", "member-1.kubeconfig");
    await writeKubeconfig(file, buildKubeconfig(input));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const yaml = parse(await readFile(file, "utf8")) as { kind: string };
    expect(yaml.kind).toBe("Config");
    const endpoint = endpointFromKubeconfig(await readKubeconfig(file));
    expect(endpoint).toEqual({
      server: input.server,
      caPem: input.caPem,
      certPem: "CERT",
      keyPem: "KEY",
    });
  });

  it("says which field is missing when a kubeconfig has no embedded credential", () => {
    const config = buildKubeconfig(input);
    const broken = { ...config, users: [{ name: "member-1-admin", user: {} }] };
    expect(() => endpointFromKubeconfig(broken)).toThrow(/no client-certificate-data/);
  });
});
