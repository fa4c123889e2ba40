/**
 * The gateway's HTTPS listener closing gracefully: it stops accepting, lets a request in
 * flight finish, and closes a watch at once. A throw-away self-signed certificate (openssl)
 * serves; the app is a tiny express app, as the server only sees requests and sockets.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, describe, expect, it } from "vitest";
import { createGatewayServer, isWatchUrl } from "./server.js";

const dir = mkdtempSync(path.join(tmpdir(), "gateway-server-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function selfSigned(): { certPem: string; keyPem: string } {
  const [cert, key] = [path.join(dir, "tls.crt"), path.join(dir, "tls.key")];
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
      ...["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
    ],
    { stdio: "ignore" },
  );
  return { certPem: readFileSync(cert, "utf8"), keyPem: readFileSync(key, "utf8") };
}

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: "127.0.0.1", port, path: urlPath, rejectUnauthorized: false, agent: false },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

describe("isWatchUrl", () => {
  it.each([
    ["/apis/x/v1alpha1/clustergateways/a/proxy/api/v1/pods?watch=true", true],
    ["/apis/x/v1alpha1/clustergateways/a/proxy/api/v1/pods?watch=1&rv=5", true],
    ["/apis/x/v1alpha1/clustergateways/a/proxy/api/v1/watch/pods", true],
    ["/apis/x/v1alpha1/clustergateways/a/proxy/apis/apps/v1/watch/namespaces/d/deployments", true],
    ["/apis/x/v1alpha1/clustergateways/a/proxy/api/v1/pods?watch=false", false],
    ["/apis/x/v1alpha1/clustergateways/a/proxy/api/v1/namespaces/watch", false],
    ["/readyz", false],
  ])("%s → %s", (url, watch) => expect(isWatchUrl(url)).toBe(watch));
});

describe("createGatewayServer's close", () => {
  it("stops accepting, lets a request in flight finish and closes a watch at once", async () => {
    const app = express();
    app.get("/slow", (_req, res) => void setTimeout(() => res.send("done"), 300));
    app.get("/pods", (_req, res) => void res.write("{}\n")); // a watch: never ends by itself
    const server = createGatewayServer({ app, handleUpgrade: () => {} }, selfSigned());
    const { port } = await server.listen("127.0.0.1", 0);

    const slow = get(port, "/slow");
    const watch = get(port, "/pods?watch=true").then(
      () => "ended",
      () => "closed",
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // both requests in flight
    const started = Date.now();
    const closing = server.close({ drainMs: 5_000 });
    expect(await watch).toBe("closed");
    expect(await slow).toEqual({ status: 200, body: "done" });
    await closing;
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(get(port, "/slow")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("gives up on a request that outlasts drainMs", async () => {
    const app = express();
    app.get("/stuck", () => {}); // never answers
    const server = createGatewayServer({ app, handleUpgrade: () => {} }, selfSigned());
    const { port } = await server.listen("127.0.0.1", 0);
    const stuck = get(port, "/stuck").then(
      () => "answered",
      () => "closed",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.close({ drainMs: 200 });
    expect(await stuck).toBe("closed");
  });
});
