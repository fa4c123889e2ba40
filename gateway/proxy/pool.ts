/**
 * One cached http-proxy and keep-alive agent per cluster, built from its record: TLS trust and
 * client certificate live in the agent, a member token is handed to the caller to set as the
 * `Authorization` header. A target is rebuilt when the record's endpoint, CA or credential
 * changes (the old agent's sockets are closed, since its credential may have been revoked), and
 * dropped when the cluster leaves the registry. Every proxy and socket has an `error` listener:
 * a failing member never crashes the gateway.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import tls from "node:tls";
import HttpProxy from "http-proxy";
import type { ClusterRecord } from "../../core/cluster/types.js";
import { errorText, type Logger } from "../deps.js";

/** Emitted on an upgrading request with the member's status code (101 once upgraded). */
export const UPSTREAM_STATUS_EVENT = "flotilla:upstream-status";

export interface ClusterTarget {
  readonly cluster: string;
  readonly fingerprint: string;
  readonly endpoint: URL;
  readonly agent: http.Agent;
  readonly proxy: HttpProxy;
  /** The member's bearer token, for token credentials. */
  readonly bearerToken?: string;
  /** TLS verification of the member (false when its record has no CA). */
  readonly secure: boolean;
}

export interface ProxyPool {
  /** The target for `record`, reused while the record is unchanged. */
  targetFor(record: ClusterRecord): ClusterTarget;
  /** Drops the cluster's target (it left the registry). */
  forget(cluster: string): void;
  /** Closes every agent. */
  close(): void;
}

const fingerprints = new WeakMap<ClusterRecord, string>();

/** Identifies what a target is built from; changes when endpoint, CA or credential change. */
export function recordFingerprint(record: ClusterRecord): string {
  const known = fingerprints.get(record);
  if (known !== undefined) return known;
  const material = JSON.stringify([record.endpoint, record.caPem ?? "", record.credential]);
  const fingerprint = createHash("sha256").update(material).digest("hex");
  fingerprints.set(record, fingerprint);
  return fingerprint;
}

/**
 * Idle keep-alive connections kept per member. Node's default (256) matters: a burst of
 * concurrent requests opens that many connections, and closing them afterwards means every
 * following burst pays TLS handshakes again.
 */
export const MAX_FREE_SOCKETS = 256;

/** Agent options of a record (pure): trust, client certificate, keep-alive. */
export function agentOptions(record: ClusterRecord): https.AgentOptions {
  const credential = record.credential;
  return {
    keepAlive: true,
    maxFreeSockets: MAX_FREE_SOCKETS,
    ...(record.caPem === undefined ? {} : { ca: record.caPem }),
    rejectUnauthorized: record.caPem !== undefined,
    ...(credential.type === "X509Certificate"
      ? { cert: credential.certPem, key: credential.keyPem }
      : {}),
  };
}

/**
 * An https agent whose TLS context (CA, client key pair) is parsed once, not per connection.
 * Unparsable material is left to the agent, so it fails each request (503 with the reason)
 * instead of failing here.
 */
function httpsAgent(record: ClusterRecord): https.Agent {
  const options = agentOptions(record);
  try {
    const secureContext = tls.createSecureContext({
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.cert === undefined ? {} : { cert: options.cert, key: options.key }),
    });
    return new https.Agent({ ...options, secureContext });
  } catch {
    return new https.Agent(options);
  }
}

function buildTarget(record: ClusterRecord, log: Logger): ClusterTarget {
  const endpoint = new URL(record.endpoint);
  const secure = record.caPem !== undefined;
  const agent =
    endpoint.protocol === "https:"
      ? httpsAgent(record)
      : new http.Agent({ keepAlive: true, maxFreeSockets: MAX_FREE_SOCKETS });
  const proxy = HttpProxy.createProxyServer({
    target: record.endpoint,
    agent,
    secure,
    changeOrigin: true,
    ws: true,
    xfwd: false,
  });
  // Fallback only: every web/ws call passes its own callback, which takes precedence.
  proxy.on("error", (error) =>
    log.warn("proxy error", { cluster: record.name, error: errorText(error) }),
  );
  proxy.on("proxyReq", (proxyReq, _req, res) => {
    guardConnect(proxyReq);
    // A client that goes away (a closed watch) closes the member request too.
    res.on("close", () => {
      if (!res.writableFinished) proxyReq.destroy();
    });
  });
  proxy.on("proxyRes", (proxyRes, _req, res) => {
    // Streams (watch, logs -f) have no length: send the member's headers at once, as
    // kube-apiserver does, instead of with the first event.
    if (proxyRes.headers["content-length"] !== undefined) return;
    process.nextTick(() => {
      if (!res.headersSent && !res.destroyed) res.flushHeaders();
    });
  });
  proxy.on("proxyReqWs", (proxyReq, req) => {
    guardConnect(proxyReq);
    proxyReq.once("response", (r) => req.emit(UPSTREAM_STATUS_EVENT, r.statusCode ?? 0));
    proxyReq.once("upgrade", () => req.emit(UPSTREAM_STATUS_EVENT, 101));
  });
  allowEveryUpgrade(proxy);
  return {
    cluster: record.name,
    fingerprint: recordFingerprint(record),
    endpoint,
    agent,
    proxy,
    ...(record.credential.type === "ServiceAccountToken"
      ? { bearerToken: record.credential.token }
      : {}),
    secure,
  };
}

/** Least time a member gets to accept a connection before the request fails with 503. */
export const CONNECT_TIMEOUT_MS = 10_000;

const guarded = new WeakSet<Socket>();

/** Fails a member request whose connection is not established in time (no effect afterwards,
 * so watches and exec sessions may idle for as long as they like). */
function guardConnect(proxyReq: http.ClientRequest): void {
  const guard = (socket: Socket): void => {
    if (!guarded.has(socket)) {
      guarded.add(socket);
      socket.on("error", () => undefined); // reported through proxyReq's own error
    }
    if (!socket.connecting) return;
    const timer = setTimeout(
      () => proxyReq.destroy(new Error(`connect timed out after ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
    timer.unref();
    socket.once("connect", () => clearTimeout(timer));
    socket.once("close", () => clearTimeout(timer));
  };
  // http-proxy announces web requests once they have a socket, upgrades before.
  if (proxyReq.socket !== null) guard(proxyReq.socket);
  else proxyReq.once("socket", guard);
}

/**
 * http-proxy's first ws pass destroys upgrades other than `websocket`; Kubernetes' SPDY
 * upgrades (exec and port-forward of older clients) must pass too. The gateway checks the
 * method and the `Upgrade` header itself before calling `ws`.
 */
function allowEveryUpgrade(proxy: HttpProxy): void {
  const passes = (proxy as unknown as { wsPasses?: Array<{ name: string }> }).wsPasses;
  const at = passes?.findIndex((p) => p.name === "checkMethodAndHeader") ?? -1;
  if (passes !== undefined && at >= 0) passes.splice(at, 1);
}

export function createProxyPool(log: Logger): ProxyPool {
  const targets = new Map<string, ClusterTarget>();
  const drop = (cluster: string): void => {
    const old = targets.get(cluster);
    if (old === undefined) return;
    targets.delete(cluster);
    old.agent.destroy();
    old.proxy.removeAllListeners();
    old.proxy.on("error", () => undefined);
  };
  return {
    targetFor(record) {
      const current = targets.get(record.name);
      if (current !== undefined && current.fingerprint === recordFingerprint(record))
        return current;
      if (current !== undefined)
        log.info("cluster changed; rebuilding its proxy", { cluster: record.name });
      drop(record.name);
      const target = buildTarget(record, log);
      targets.set(record.name, target);
      return target;
    },
    forget: drop,
    close() {
      for (const cluster of [...targets.keys()]) drop(cluster);
    },
  };
}
