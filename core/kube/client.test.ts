import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UpstreamUnavailableError,
} from "../errors.js";
import { FakeClock } from "../testing/fake-clock.js";
import { HttpPeer } from "../testing/http-peer.js";
import { BearerToken } from "./bearer.js";
import { createKubeClient, MERGE_PATCH, type KubeClient } from "./client.js";
import { kubeStatusOf } from "./status.js";
import { requestUrl } from "./transport.js";
import type { WatchEvent } from "./watch-events.js";

describe("requestUrl", () => {
  it("joins server, path and the defined query values", () => {
    const url = requestUrl("https://127.0.0.1:6443", {
      path: "/api/v1/namespaces/vela-system/secrets",
      query: { watch: true, labelSelector: "a=b,c", resourceVersion: "12", limit: undefined },
    });
    expect(url.toString()).toBe(
      "https://127.0.0.1:6443/api/v1/namespaces/vela-system/secrets?watch=true&labelSelector=a%3Db%2Cc&resourceVersion=12",
    );
  });

  it("keeps a server's path prefix", () => {
    expect(requestUrl("https://h/k8s/clusters/c1", { path: "/api" }).pathname).toBe(
      "/k8s/clusters/c1/api",
    );
  });
});

describe("BearerToken", () => {
  const read = (): string => {
    throw new Error("no file");
  };

  it("sends nothing for certificates and anonymous users, a static token as it is", () => {
    expect(new BearerToken(undefined, { readFile: read }).current()).toBeUndefined();
    const cert = { type: "X509Certificate", certPem: "C", keyPem: "K" } as const;
    expect(new BearerToken(cert, { readFile: read }).current()).toBeUndefined();
    const token = { type: "ServiceAccountToken", token: "abc" } as const;
    expect(new BearerToken(token, { readFile: read }).current()).toBe("abc");
  });

  it("reads a token file again once its content is older than the TTL", async () => {
    const clock = new FakeClock(0);
    let content = "first\n";
    let reads = 0;
    const bearer = new BearerToken(
      { type: "ServiceAccountTokenFile", file: "/sa/token" },
      {
        clock,
        tokenFileTtlMs: 1_000,
        readFile: (file) => {
          expect(file).toBe("/sa/token");
          reads++;
          return content;
        },
      },
    );
    expect(bearer.current()).toBe("first");
    content = "second";
    await clock.advance(999);
    expect(bearer.current()).toBe("first");
    await clock.advance(1);
    expect(bearer.current()).toBe("second");
    expect(reads).toBe(2);
  });

  it("uses a token set by the program over the connection's", () => {
    const bearer = new BearerToken(
      { type: "ServiceAccountToken", token: "old" },
      { readFile: read },
    );
    bearer.set("renewed");
    expect(bearer.current()).toBe("renewed");
    const anonymous = new BearerToken(undefined, { readFile: read });
    anonymous.set("t");
    expect(anonymous.current()).toBe("t");
  });
});

describe("createKubeClient against a local HTTP peer", () => {
  let peer: HttpPeer;
  let client: KubeClient;
  const connect = (options = {}): KubeClient =>
    createKubeClient(
      {
        server: peer.url,
        insecure: false,
        credential: { type: "ServiceAccountToken", token: "t1" },
      },
      { name: "hub", userAgent: "flotilla-test", ...options },
    );

  beforeEach(async () => {
    peer = await HttpPeer.start();
    client = connect();
  });
  afterEach(async () => {
    client.close();
    await peer.close();
  });

  it("sends JSON with the token and the user agent, and parses the answer", async () => {
    const answer = client.json<{ ok: boolean }>({
      method: "PATCH",
      path: "/api/v1/x",
      query: { fieldManager: "f" },
      body: { a: 1 },
      contentType: MERGE_PATCH,
    });
    const request = await peer.next();
    expect([request.method, request.path, request.query.get("fieldManager")]).toEqual([
      "PATCH",
      "/api/v1/x",
      "f",
    ]);
    expect(request.headers).toMatchObject({
      authorization: "Bearer t1",
      "user-agent": "flotilla-test",
      "content-type": MERGE_PATCH,
    });
    expect(JSON.parse(request.body)).toEqual({ a: 1 });
    request.reply(200, { ok: true });
    expect(await answer).toEqual({ ok: true });
  });

  it("sends a token set later instead of the connection's", async () => {
    client.setToken("t2");
    expect(client.token()).toBe("t2");
    const answer = client.send({ path: "/readyz" });
    const request = await peer.next();
    expect(request.headers.authorization).toBe("Bearer t2");
    request.reply(200, "ok");
    expect((await answer).status).toBe(200);
  });

  it("maps refusals to typed errors, naming the server, with the status kept", async () => {
    const missing = client.json({ path: "/api/v1/nope" });
    (await peer.next()).status(404, "NotFound", 'nope "x" not found');
    const error = await missing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe('hub GET /api/v1/nope: HTTP 404: nope "x" not found');
    expect(kubeStatusOf(error)).toBe(404);

    const denied = client.json({ path: "/a" });
    (await peer.next()).status(401, "Unauthorized");
    await expect(denied).rejects.toBeInstanceOf(UnauthenticatedError);
    const forbidden = client.json({ path: "/a" });
    (await peer.next()).status(403, "Forbidden");
    await expect(forbidden).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("rejects a 2xx answer that is not JSON as the upstream's failure, naming the request", async () => {
    const answer = client.json({ path: "/api/v1/x" });
    const request = await peer.next();
    request.open();
    request.write("<html>proxy error</html>");
    request.end();
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe("hub GET /api/v1/x: answer is not JSON");
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it("reports its own credential's failure as the upstream's when asked", async () => {
    const gateway = connect({ credentialErrors: "upstream" });
    const denied = gateway.json({ path: "/a" });
    (await peer.next()).status(403, "Forbidden");
    await expect(denied).rejects.toBeInstanceOf(UpstreamUnavailableError);
    gateway.close();
  });

  it("gives up on a silent server after the timeout, and on a closed port", async () => {
    const slow = client.json({ path: "/slow", timeoutMs: 100 });
    await peer.next();
    await expect(slow).rejects.toThrow(/hub GET \/slow: no answer in 100 ms/);
    const url = peer.url;
    await peer.close();
    const gone = createKubeClient({ server: url, insecure: false });
    await expect(gone.json({ path: "/" })).rejects.toBeInstanceOf(UpstreamUnavailableError);
    gone.close();
    peer = await HttpPeer.start();
  });

  it("watches: events in order, and the end of the watch when the server ends it", async () => {
    const events: WatchEvent[] = [];
    const abort = new AbortController();
    const opening = client.watch(
      { path: "/api/v1/nodes", query: { resourceVersion: "5" }, timeoutMs: 100 },
      (event) => events.push(event),
      abort.signal,
    );
    const request = await peer.next();
    expect(request.query.get("watch")).toBe("true");
    expect(request.query.get("resourceVersion")).toBe("5");
    request.open();
    const watch = await opening;
    request.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MOD');
    // Longer than the request timeout: an open watch may stay quiet.
    await new Promise((resolve) => setTimeout(resolve, 200));
    request.write('IFIED","object":{"metadata":{"name":"a"}}}\n');
    request.end();
    expect(await watch.ended).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED"]);
  });

  it("ends a watch with an error on a line that is not an event, and on a refusal", async () => {
    const opening = client.watch({ path: "/w" }, () => undefined, new AbortController().signal);
    const request = await peer.next();
    request.open();
    const watch = await opening;
    request.write("not json\n");
    expect(await watch.ended).toBeInstanceOf(UpstreamUnavailableError);

    const gone = client.watch({ path: "/w" }, () => undefined, new AbortController().signal);
    (await peer.next()).status(410, "Expired", "too old resource version");
    expect(kubeStatusOf(await gone.catch((e: unknown) => e))).toBe(410);
  });

  it("ends a watch when its signal aborts", async () => {
    const abort = new AbortController();
    const opening = client.watch({ path: "/w" }, () => undefined, abort.signal);
    const request = await peer.next();
    request.open();
    const watch = await opening;
    abort.abort();
    await request.closed();
    expect(await watch.ended).toBeInstanceOf(Error);
  });
});
