/**
 * The gateway app in-process over plain HTTP, with a local HTTP peer standing in for a member
 * (the narrow seam: no Kubernetes is faked here, the integration tests use real clusters) and
 * a header-driven authenticator/authoriser. Covers Status errors, header rewriting,
 * unbuffered streams, upgrades and metrics labels.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { secretFromRecord } from "../core/cluster/secret.js";
import { ForbiddenError, UnauthenticatedError } from "../core/errors.js";
import { createGatewayApp, type GatewayDeps } from "./app.js";
import { silentLogger } from "./deps.js";
import { createGatewayMetrics } from "./metrics.js";
import { createProxyPool } from "./proxy/pool.js";
import { createClusterCache } from "./registry/cluster-cache.js";
import { CLUSTERGATEWAYS_PATH } from "./routes.js";

const seen: http.IncomingHttpHeaders[] = [];
let streamsClosed = 0;
let member: http.Server;
let gatewayServer: http.Server;
let base: string;
let wsBase: string;
const metrics = createGatewayMetrics();

const listen = (server: http.Server): Promise<number> =>
  new Promise((r) =>
    server.listen(0, "127.0.0.1", () => r((server.address() as AddressInfo).port)),
  );

function memberHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  seen.push(req.headers);
  if (req.url?.startsWith("/idle")) {
    res.writeHead(200, { "content-type": "application/json" }).flushHeaders(); // a quiet watch
    return;
  }
  if (req.url?.startsWith("/stream")) {
    res.on("close", () => (streamsClosed += 1));
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"type":"ADDED"}\n');
    return; // never ends: the test closes it
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ url: req.url, method: req.method }));
}

beforeAll(async () => {
  member = http.createServer(memberHandler);
  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", (socket, req) => {
    seen.push(req.headers);
    socket.on("message", (data: Buffer) => socket.send(`echo ${data.toString("utf8")}`));
  });
  member.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.headers.upgrade === "websocket") {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
      return;
    }
    // Kubernetes' SPDY upgrade (exec, port-forward of older clients): switch, then echo bytes.
    seen.push(req.headers);
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n",
    );
    socket.pipe(socket);
  });
  const memberPort = await listen(member);
  const unused = http.createServer();
  const closed = await listen(unused);
  await new Promise((r) => unused.close(r)); // nothing listens there any more
  const registry = createClusterCache(undefined, silentLogger);
  const add = (name: string, endpoint: string): void =>
    registry.upsertSecret(
      secretFromRecord({
        name,
        endpoint,
        credential: { type: "ServiceAccountToken", token: `${name}-token` },
        labels: {},
      }),
    );
  add("m", `http://127.0.0.1:${memberPort}`);
  add("gone", `http://127.0.0.1:${closed}`);
  const deps: GatewayDeps = {
    log: silentLogger,
    metrics,
    registry,
    pool: createProxyPool(silentLogger),
    impersonate: true,
    health: { healthOf: () => ({ healthy: true, reason: "Ready", lastProbeTime: "t" }) },
    ready: () => true,
    authenticator: {
      authenticate: (req) => {
        const user = req.headers["x-test-user"];
        if (typeof user !== "string")
          return Promise.reject(new UnauthenticatedError("Unauthorized"));
        return Promise.resolve({ user, groups: ["g1", "g2"], extra: {}, via: "token" });
      },
    },
    authorizer: {
      authorize: (identity) =>
        identity.user === "mallory" ? Promise.reject(new ForbiddenError("no")) : Promise.resolve(),
    },
  };
  const gateway = createGatewayApp(deps);
  gatewayServer = http.createServer(gateway.app);
  gatewayServer.on("upgrade", (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  const port = await listen(gatewayServer);
  base = `http://127.0.0.1:${port}${CLUSTERGATEWAYS_PATH}`;
  wsBase = base.replace("http:", "ws:");
});

afterAll(() => {
  gatewayServer.closeAllConnections();
  member.closeAllConnections();
  gatewayServer.close();
  member.close();
});

const as = (user: string, extra: Record<string, string> = {}): RequestInit => ({
  headers: { "x-test-user": user, ...extra },
});

describe("createGatewayApp", () => {
  it("answers errors as Kubernetes Status", async () => {
    const cases: Array<[string, RequestInit, number, string]> = [
      [`${base}/m/proxy/api`, {}, 401, "Unauthorized"],
      [`${base}/m/proxy/api`, as("mallory"), 403, "Forbidden"],
      [`${base}/nope/proxy/api`, as("alice"), 404, "NotFound"],
      [`${base}/gone/proxy/api`, as("alice"), 503, "ServiceUnavailable"],
      [`${base}/m/status`, as("alice"), 404, "NotFound"],
    ];
    for (const [url, init, code, reason] of cases) {
      const res = await fetch(url, init);
      expect(res.status, url).toBe(code);
      expect(await res.json()).toMatchObject({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        code,
        reason,
      });
    }
  });

  it("proxies with the path and query as given, the member credential and the caller impersonated", async () => {
    seen.length = 0;
    const res = await fetch(
      `${base}/m/proxy/api/v1/namespaces/a%20b/configmaps?labelSelector=x%3Dy`,
      {
        method: "POST",
        headers: {
          "x-test-user": "alice",
          authorization: "Bearer caller",
          "impersonate-user": "system:admin",
          "x-remote-user": "root",
        },
        body: "{}",
      },
    );
    expect(await res.json()).toEqual({
      url: "/api/v1/namespaces/a%20b/configmaps?labelSelector=x%3Dy",
      method: "POST",
    });
    const headers = seen[0] ?? {};
    expect(headers.authorization).toBe("Bearer m-token");
    expect(headers["impersonate-user"]).toBe("alice");
    expect(headers["impersonate-group"]).toBe("g1, g2");
    expect(headers["x-remote-user"]).toBeUndefined();
  });

  it("streams without buffering", async () => {
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        `${base}/m/proxy/stream?watch=true`,
        { headers: { "x-test-user": "alice" } },
        (res) => {
          res.once("data", (chunk: Buffer) => {
            resolve(chunk.toString("utf8"));
            req.destroy();
          });
        },
      );
      req.on("error", reject);
    });
    expect(firstChunk).toBe('{"type":"ADDED"}\n');
    // The client went away: so does the member's stream.
    await vi.waitFor(() => expect(streamsClosed).toBe(1));
    // A watch with no events yet: its headers still arrive at once (client-go waits for them).
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.get(
        `${base}/m/proxy/idle?watch=true`,
        { headers: { "x-test-user": "alice" } },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on("error", reject);
    });
    expect(status).toBe(200);
  });

  it("passes upgrades through, with the same authentication", async () => {
    seen.length = 0;
    const socket = new WebSocket(`${wsBase}/m/proxy/api/v1/namespaces/x/pods/p/exec`, {
      headers: { "x-test-user": "alice", authorization: "Bearer caller" },
    });
    const reply = await new Promise<string>((resolve, reject) => {
      socket.on("open", () => socket.send("hi"));
      socket.on("message", (data: Buffer) => resolve(data.toString("utf8")));
      socket.on("error", reject);
    });
    socket.close();
    expect(reply).toBe("echo hi");
    expect(seen[0]?.authorization).toBe("Bearer m-token");
    const refused = new WebSocket(`${wsBase}/m/proxy/x`);
    const status = await new Promise<number>((resolve) =>
      refused.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
  });

  it("passes non-WebSocket upgrades (SPDY) through as well", async () => {
    seen.length = 0;
    const { port } = gatewayServer.address() as AddressInfo;
    const socket = connect(port, "127.0.0.1");
    const path = `${CLUSTERGATEWAYS_PATH}/m/proxy/api/v1/namespaces/x/pods/p/portforward`;
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: gw\r\nX-Test-User: alice\r\nAuthorization: Bearer caller\r\n` +
        "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nContent-Length: 0\r\n\r\n",
    );
    let received = "";
    await new Promise<void>((resolve, reject) => {
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
        if (received.includes("\r\n\r\n") && !received.includes("frame")) socket.write("frame");
        if (received.endsWith("frame")) resolve();
      });
      socket.on("error", reject);
    });
    socket.destroy();
    expect(received.startsWith("HTTP/1.1 101 Switching Protocols")).toBe(true);
    expect(seen[0]).toMatchObject({ upgrade: "SPDY/3.1", authorization: "Bearer m-token" });
  });

  it("serves clustergateways without credentials in them, and discovery", async () => {
    const list = (await (await fetch(base, as("alice"))).json()) as {
      items: Array<{ metadata: { name: string } }>;
    };
    expect(list.items.map((i) => i.metadata.name)).toEqual(["gone", "m"]);
    const one = await (await fetch(`${base}/m`, as("alice"))).text();
    expect(one).toContain('"credential":{"type":"ServiceAccountToken"}');
    expect(one).not.toContain("m-token");
    const discovery = await fetch(base.replace("/clustergateways", ""));
    expect(((await discovery.json()) as { kind: string }).kind).toBe("APIResourceList");
  });

  it("counts proxied requests by cluster, verb, resource and code", async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'flotilla_gateway_requests_total{cluster="m",verb="create",resource="configmaps",code="200"} 1',
    );
    expect(text).toContain(
      'flotilla_gateway_requests_total{cluster="",verb="get",resource="",code="404"} 1',
    );
    expect(text).toContain(
      'flotilla_gateway_requests_total{cluster="gone",verb="get",resource="",code="503"} 1',
    );
  });
});
