import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { certificateConfig, createClusterPki, serverSpec } from "./pki.js";

const run = promisify(execFile);

describe("pki", () => {
  it("writes server extensions with loopback names and client organisations", () => {
    const server = certificateConfig({
      commonName: "s",
      kind: "server",
      altNames: ["IP:127.0.0.1"],
    });
    expect(server).toContain("extendedKeyUsage = serverAuth");
    expect(server).toContain("subjectAltName = IP:127.0.0.1");
    const client = certificateConfig({
      commonName: "u",
      organizations: ["system:masters"],
      kind: "client",
    });
    expect(client).toContain("O = system:masters");
    expect(client).toContain("extendedKeyUsage = clientAuth");
  });

  it("issues certificates that verify against the cluster CA", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-pki-"));
    const pki = await createClusterPki(dir, true);
    for (const pair of [pki.apiserver, pki.admin, pki.controllerManager]) {
      const { stdout } = await run("openssl", [
        "verify",
        "-CAfile",
        pki.ca.certFile,
        pair.certFile,
      ]);
      expect(stdout).toContain(": OK");
    }
    const fp = pki.frontProxy;
    if (fp === undefined) throw new Error("hub PKI has no front proxy");
    const { stdout } = await run("openssl", [
      "verify",
      "-CAfile",
      fp.ca.certFile,
      fp.client.certFile,
    ]);
    expect(stdout).toContain(": OK");
    await expect(
      run("openssl", ["verify", "-CAfile", pki.ca.certFile, fp.client.certFile]),
    ).rejects.toThrow();
  });
});

describe("the API server's certificate", () => {
  it("covers the cluster's own relay address inside real nodes when it has a fleet index", () => {
    expect(serverSpec(3).altNames).toContain("IP:10.255.255.13");
    expect(serverSpec(3).altNames).toContain("IP:10.255.255.1");
    expect(serverSpec().altNames?.filter((n) => n.startsWith("IP:10.255.255.1"))).toEqual([
      "IP:10.255.255.1",
    ]);
  });
});
