/**
 * The gateway's one HTTPS listener, for both ways in. It asks every client for a certificate
 * (advertising the request-header client CA, so the hub's aggregator presents its front-proxy
 * certificate) but never requires one: bearer-token clients connect without. Whether a
 * certificate is trusted is decided per request by the authenticator, not by the TLS layer.
 *
 * Closing stops listening at once; requests in flight may finish for `drainMs` (watches and
 * upgraded streams never finish by themselves, so they are closed at once: their clients
 * re-watch elsewhere), then every connection left is closed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import type { AddressInfo, Socket } from "node:net";
import type { GatewayApp } from "./app.js";

export interface ServingTls {
  readonly certPem: string;
  readonly keyPem: string;
  /** The request-header client CA (from the hub); undefined when aggregation is off. */
  readonly clientCaPem?: string;
}

export interface GatewayServer {
  readonly server: https.Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(host: string, port: number): Promise<AddressInfo>;
  /**
   * Stops accepting; closes watches and upgraded connections at once and the other requests
   * in flight when they finish or after `drainMs` (default 0: at once).
   */
  close(options?: { readonly drainMs?: number }): Promise<void>;
}

/** Whether a request is a Kubernetes watch (`?watch=true|1` or a `/watch/` path) (pure). */
export function isWatchUrl(rawUrl: string): boolean {
  const url = new URL(rawUrl, "https://gateway.invalid");
  const watch = url.searchParams.get("watch");
  return watch === "true" || watch === "1" || /\/api(s\/[^/]+)?\/[^/]+\/watch\//.test(url.pathname);
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

export function createGatewayServer(gateway: GatewayApp, tls: ServingTls): GatewayServer {
  const server = https.createServer(
    {
      cert: tls.certPem,
      key: tls.keyPem,
      requestCert: tls.clientCaPem !== undefined,
      rejectUnauthorized: false,
      ...(tls.clientCaPem === undefined ? {} : { ca: tls.clientCaPem }),
      noDelay: true,
    },
    gateway.app,
  );
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    gateway.handleUpgrade(req, socket, head),
  );
  server.on("clientError", (_error, socket) => socket.destroy());
  // Kube clients keep connections open for long; watches last minutes.
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 80_000;
  server.requestTimeout = 0;
  const sockets = new Set<Socket>();
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  /** Requests in flight, with whether each is a watch. */
  const inFlight = new Map<ServerResponse, boolean>();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(res, isWatchUrl(req.url ?? "/"));
    res.once("close", () => inFlight.delete(res));
  });
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (_req: IncomingMessage, socket: Duplex) => {
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
  });
  const drain = async (drainMs: number): Promise<void> => {
    for (const [res, watch] of inFlight) if (watch) res.destroy();
    for (const socket of upgraded) socket.destroy();
    server.closeIdleConnections();
    const deadline = Date.now() + drainMs;
    while (inFlight.size > 0 && Date.now() < deadline) await sleep(50);
  };
  return {
    server,
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: async (options = {}) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await drain(options.drainMs ?? 0);
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
