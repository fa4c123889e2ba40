/**
 * The gateway against a real hub and member: both ways in (bearer tokens of the hub's
 * ServiceAccounts, and the hub's aggregation layer through a registered APIService), RBAC
 * through SubjectAccessReviews, identity and impersonation as the member sees them, watches,
 * upgrades, metrics, and a member going away. One fleet for the whole file; the member is
 * stopped last.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CoreV1Api } from "@kubernetes/client-node";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { registerApiService, waitApiServiceAvailable } from "../../core/install/apiservice.js";
import { systemClock } from "../../gateway/deps.js";
import { CLUSTERGATEWAYS_PATH } from "../../gateway/routes.js";
import { setUpScenario, type Scenario } from "../support/gateway-scenario.js";
import { openWatch } from "../support/streams.js";
import * as s from "../support/gateway-world.js";

const run = promisify(execFile);
let sc: Scenario;

/** GET through the main gateway, as `deployer` unless another token (or "" for none) is given. */
const get = (path: string, token = sc.tokens.deployer) =>
  s.call(sc.gateway.url, sc.tls.ca.cert, path, token === "" ? {} : { token });
const statusOf = (reply: s.Reply) => reply.json<{ kind: string; code: number; reason: string }>();
const namesIn = (json: string) =>
  (JSON.parse(json) as { items: Array<{ metadata: { name: string } }> }).items.map(
    (i) => i.metadata.name,
  );
const memberApi = () => s.kubeConfigOf(sc.fleet.cluster("member-1")).makeApiClient(CoreV1Api);

beforeAll(async () => {
  sc = await setUpScenario();
});

afterAll(async () => {
  await sc?.tearDown();
});

describe("clustergateways", () => {
  it("lists local and the registered clusters, healthy, without credentials", async () => {
    await s.eventually(
      "member-1 healthy",
      () => sc.gateway.health.healthOf("member-1")?.healthy || undefined,
    );
    const list = await get(CLUSTERGATEWAYS_PATH);
    expect(list.status).toBe(200);
    const items = list.json<{
      items: Array<{ metadata: { name: string }; spec: unknown; status: unknown }>;
    }>().items;
    expect(items.map((i) => i.metadata.name)).toEqual(["local", "member-1", "ws-echo"]);
    expect(list.text).not.toMatch(/PRIVATE KEY|ws-member-token|tls\.key/);
    const one = (await get(`${CLUSTERGATEWAYS_PATH}/member-1`)).json();
    expect(one).toMatchObject({
      kind: "ClusterGateway",
      metadata: { name: "member-1", labels: { region: "test" } },
      spec: {
        access: {
          endpoint: sc.fleet.cluster("member-1").server,
          credential: { type: "X509Certificate" },
        },
      },
      status: { healthy: true, healthyReason: "Ready" },
    });
    const health = await get(`${CLUSTERGATEWAYS_PATH}/member-1/health`);
    expect(health.json()).toMatchObject({ status: { healthy: true } });
  });

  it("answers an unknown cluster with a NotFound Status", async () => {
    const reply = await get(s.proxied("nope", "/api/v1/namespaces"));
    expect(reply.status).toBe(404);
    expect(statusOf(reply)).toMatchObject({ kind: "Status", code: 404, reason: "NotFound" });
  });
});

describe("the standalone path (ServiceAccount tokens)", () => {
  it("proxies list, create and get to the member", async () => {
    const namespaces = await get(s.proxied("member-1", "/api/v1/namespaces"));
    expect(namespaces.status).toBe(200);
    expect(namesIn(namespaces.text)).toContain("kube-system");
    expect(namesIn(namespaces.text)).not.toContain("team-a"); // a hub namespace: this is the member
    const created = await s.call(
      sc.gateway.url,
      sc.tls.ca.cert,
      s.proxied("member-1", "/api/v1/namespaces/default/configmaps"),
      {
        method: "POST",
        token: sc.tokens.deployer,
        body: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "via-gateway" },
          data: { a: "1" },
        },
      },
    );
    expect(created.status).toBe(201);
    const read = await get(
      s.proxied("member-1", "/api/v1/namespaces/default/configmaps/via-gateway"),
    );
    expect(read.json()).toMatchObject({ data: { a: "1" } });
    const onMember = await memberApi().readNamespacedConfigMap({
      name: "via-gateway",
      namespace: "default",
    });
    expect(onMember.data).toEqual({ a: "1" });
  });

  it("rejects missing, forged, wrong-audience and expired tokens with 401", async () => {
    const claims = decodeJwt(sc.tokens.deployer);
    const forger = await generateKeyPair("ES256");
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256" })
      .sign(forger.privateKey);
    for (const token of ["", forged, sc.tokens.hubAudience, "not-a-jwt"]) {
      const reply = await get(s.proxied("member-1", "/api/v1/namespaces"), token);
      expect(reply.status, String(token).slice(0, 20)).toBe(401);
      expect(statusOf(reply)).toMatchObject({ kind: "Status", code: 401, reason: "Unauthorized" });
    }
    // X-Remote-* headers count only behind a verified front-proxy client certificate.
    const spoofed = await s.call(
      sc.gateway.url,
      sc.tls.ca.cert,
      s.proxied("member-1", "/version"),
      {
        headers: { "X-Remote-User": "system:admin", "X-Remote-Group": "system:masters" },
      },
    );
    expect(spoofed.status).toBe(401);
    // The same real token, judged by a gateway whose clock is a minute past its expiry.
    const skew = ((claims.exp ?? 0) + 60) * 1000 - Date.now();
    const clock = { ...systemClock, now: () => Date.now() + skew };
    const later = await s.startTestGateway(sc.hub, sc.tls, { clock });
    try {
      const reply = await s.call(later.url, sc.tls.ca.cert, s.proxied("member-1", "/version"), {
        token: sc.tokens.deployer,
      });
      expect(reply.status).toBe(401);
      expect(reply.text).toContain("ERR_JWT_EXPIRED");
    } finally {
      await later.close();
    }
  });

  it("forbids a ServiceAccount without RBAC on clustergateways/proxy with 403", async () => {
    const reply = await get(s.proxied("member-1", "/api/v1/namespaces"), sc.tokens.nobody);
    expect(reply.status).toBe(403);
    expect(statusOf(reply)).toMatchObject({ kind: "Status", code: 403, reason: "Forbidden" });
    expect(reply.text).toContain("system:serviceaccount:team-a:nobody");
  });
});

describe("identity at the member", () => {
  it("ignores an inbound Impersonate-User: the member sees the gateway's credential", async () => {
    const user = await s.whoAmI(sc.gateway.url, sc.tls.ca.cert, sc.tokens.deployer, {
      "Impersonate-User": "system:admin",
      "Impersonate-Group": "system:masters",
    });
    expect(user.username).toBe("flotilla-admin"); // member-1's admin certificate
  });

  it("presents the caller when impersonation is on", async () => {
    const impersonating = await s.startTestGateway(sc.hub, sc.tls, { impersonate: true });
    try {
      const user = await s.whoAmI(impersonating.url, sc.tls.ca.cert, sc.tokens.deployer, {
        "Impersonate-User": "system:admin",
      });
      expect(user.username).toBe("system:serviceaccount:team-a:deployer");
      expect(user.groups).toContain("system:serviceaccounts:team-a");
      expect(user.groups).not.toContain("system:masters");
    } finally {
      await impersonating.close();
    }
  });
});

describe("streams", () => {
  it("streams a watch: an ADDED event for a ConfigMap created after the watch started", async () => {
    const list = await get(s.proxied("member-1", "/api/v1/namespaces/default/configmaps"));
    const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const watch = await openWatch(
      `${sc.gateway.url}${s.proxied("member-1", `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`)}`,
      sc.tls.ca.cert,
      sc.tokens.deployer,
    );
    try {
      await memberApi().createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "watched" } },
      });
      const event = await watch.next((e) => e.object.metadata?.name === "watched", 15_000);
      expect(event.type).toBe("ADDED");
    } finally {
      watch.close();
    }
  });

  it("passes an upgraded (WebSocket) connection to the member with the member's credential", async () => {
    const socket = new WebSocket(
      `${sc.gateway.url.replace("https", "wss")}${s.proxied("ws-echo", "/api/v1/namespaces/x/pods/p/exec")}`,
      {
        ca: sc.tls.ca.cert,
        headers: {
          authorization: `Bearer ${sc.tokens.deployer}`,
          "impersonate-user": "system:admin",
        },
      },
    );
    const reply = await new Promise<string>((resolve, reject) => {
      socket.on("open", () => socket.send("ping"));
      socket.on("message", (data: Buffer) => resolve(data.toString("utf8")));
      socket.on("error", reject);
    });
    socket.close();
    expect(reply).toBe("echo ping");
    expect(sc.wsMember.handshakes.at(-1)).toMatchObject({
      authorization: "Bearer ws-member-token",
    });
    expect(sc.wsMember.handshakes.at(-1)?.["impersonate-user"]).toBeUndefined();
    const refused = new WebSocket(
      `${sc.gateway.url.replace("https", "wss")}${s.proxied("ws-echo", "/x")}`,
      { ca: sc.tls.ca.cert },
    );
    const code = await new Promise<number>((r) =>
      refused.on("unexpected-response", (_q, res) => r(res.statusCode ?? 0)),
    );
    expect(code).toBe(401);
  });
});

describe("the aggregated path (an APIService on the hub)", () => {
  it("serves kubectl through the hub, with the hub's RBAC deciding", async () => {
    await registerApiService(sc.hub, {
      port: sc.gateway.address.port,
      caBundlePem: sc.tls.ca.cert,
    });
    await waitApiServiceAvailable(sc.hub, { timeoutMs: 90_000 });
    const kubectl = (...args: string[]) =>
      run(sc.binaries.kubectl, ["--kubeconfig", sc.fleet.cluster("local").kubeconfigFile, ...args]);
    // No token here: the gateway trusts the aggregator's certificate and its X-Remote-User.
    const namespaces = s.proxied("member-1", "/api/v1/namespaces");
    const raw = await kubectl("get", "--raw", namespaces);
    expect(namesIn(raw.stdout)).toContain("kube-system");
    expect(namesIn(raw.stdout)).not.toContain("team-a");
    const list = await kubectl("get", "clustergateways", "-o", "name");
    expect(list.stdout).toContain("clustergateway.cluster.core.oam.dev/member-1\n");
    // A hub user without RBAC is stopped by the hub itself (this token's audience is the
    // hub's, which the gateway would refuse with 401, so the 403 is the hub's answer).
    const { server, caPem } = sc.fleet.cluster("local");
    const denied = await s.call(server, caPem, namespaces, { token: sc.tokens.hubAudience });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ kind: "Status", reason: "Forbidden" });
    expect(denied.text).toContain("clustergateways/proxy");
  });
});

describe("metrics and failures", () => {
  it("counts the proxied requests by cluster, verb, resource and code", async () => {
    const text = (await s.call(sc.gateway.url, sc.tls.ca.cert, "/metrics")).text;
    for (const line of [
      '{cluster="member-1",verb="list",resource="namespaces",code="200"}',
      '{cluster="member-1",verb="create",resource="configmaps",code="201"}',
      '{cluster="member-1",verb="watch",resource="configmaps",code="200"}',
      // Refused callers are counted without the resource they asked for (bounded labels).
      '{cluster="member-1",verb="list",resource="",code="403"}',
      '{cluster="member-1",verb="list",resource="",code="401"}',
      // A WebSocket exec is a GET, as the member sees it.
      '{cluster="ws-echo",verb="get",resource="pods/exec",code="101"}',
    ]) {
      expect(text).toContain(`flotilla_gateway_requests_total${line}`);
    }
    expect(text).toMatch(
      /flotilla_gateway_request_duration_seconds_count\{cluster="member-1",verb="list",resource="namespaces",code="200"\} [1-9]/,
    );
  });

  it("answers 503 for a stopped member while local still works", async () => {
    await sc.fleet.cluster("member-1").stop();
    const reply = await get(s.proxied("member-1", "/api/v1/namespaces"));
    expect(reply.status).toBe(503);
    expect(statusOf(reply)).toMatchObject({
      kind: "Status",
      code: 503,
      reason: "ServiceUnavailable",
    });
    const local = await get(s.proxied("local", "/api/v1/namespaces/team-a"));
    expect(local.status).toBe(200);
    await s.eventually("member-1 unhealthy", () =>
      sc.gateway.health.healthOf("member-1")?.healthy === false ? true : undefined,
    );
  });
});
