/**
 * The probe against a small in-process HTTP peer that answers like an API server for the three
 * calls it makes (the narrow seam the house style allows); real API servers are exercised by
 * test/cli/cluster-cli.integration.test.ts.
 */
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, UnauthenticatedError, UpstreamUnavailableError } from "../errors.js";
import { probeCluster, probeFailure } from "./probe.js";
import type { ClusterRecord } from "./types.js";

const users: Record<string, string> = { "Bearer good": "alice", "Bearer limited": "bob" };

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const user = users[req.headers.authorization ?? ""];
  const send = (status: number, body: object): void => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  if (req.url === "/version") return send(200, { gitVersion: "v1.36.3" });
  if (user === undefined) return send(401, { kind: "Status", message: "Unauthorized" });
  if (req.url?.startsWith("/apis/authentication.k8s.io/v1/selfsubjectreviews")) {
    return send(201, { status: { userInfo: { username: user } } });
  }
  if (req.url?.startsWith("/api/v1/namespaces") && user === "alice")
    return send(200, { items: [] });
  return send(403, {
    kind: "Status",
    message: `namespaces is forbidden: User "${user}" cannot list`,
  });
}

let server: http.Server;
let endpoint: string;
const record = (token: string, at = endpoint): ClusterRecord => ({
  name: "m",
  endpoint: at,
  credential: { type: "ServiceAccountToken", token },
  labels: {},
});

beforeAll(async () => {
  server = http.createServer(answer);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("probeCluster", () => {
  it("reports version and identity when every step works", async () => {
    expect(await probeCluster(record("good"))).toEqual({
      ok: true,
      version: "v1.36.3",
      user: "alice",
    });
  });

  it("says the credential was rejected on 401", async () => {
    const result = await probeCluster(record("wrong"));
    expect(result).toMatchObject({ ok: false, stage: "authenticate" });
    expect(result.ok || result.error).toContain("credential rejected (HTTP 401)");
    expect(result.ok || probeFailure(result, "x")).toBeInstanceOf(UnauthenticatedError);
  });

  it("says the identity lacks permissions on 403", async () => {
    const result = await probeCluster(record("limited"));
    expect(result).toMatchObject({ ok: false, stage: "authorize" });
    expect(result.ok || result.error).toContain('"bob" authenticates but cannot list namespaces');
    expect(result.ok || probeFailure(result, "x")).toBeInstanceOf(ForbiddenError);
  });

  it("says the endpoint is unreachable when nothing listens", async () => {
    const at = `http://127.0.0.1:${await closedPort()}`;
    const result = await probeCluster(record("good", at));
    expect(result).toMatchObject({ ok: false, stage: "connect" });
    expect(result.ok || result.error).toContain(`cannot reach ${at}`);
    expect(result.ok || result.error).toContain("ECONNREFUSED");
    expect(result.ok || probeFailure(result, "x")).toBeInstanceOf(UpstreamUnavailableError);
  });

  it("gives up on a server that never answers", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const at = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const result = await probeCluster(record("good", at), { timeoutMs: 300 });
      expect(result).toEqual({
        ok: false,
        stage: "connect",
        error: `cannot reach ${at}: no answer in time`,
      });
    } finally {
      silent.close();
    }
  });
});
