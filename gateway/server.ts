/**
 * The gateway's one HTTPS listener, for both ways in. It asks every client for a certificate
 * (advertising the request-header client CA, so the hub's aggregator presents its front-proxy
 * certificate) but never requires one: bearer-token clients connect without. Whether a
 * certificate is trusted is decided per request by the authenticator, not by the TLS layer.
 */
import type { IncomingMessage } from "node:http";
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
  /** Stops accepting and closes every open connection, upgraded ones included. */
  close(): Promise<void>;
}

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
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
