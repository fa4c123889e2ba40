/**
 * Streaming helpers for the gateway's integration tests: reading a Kubernetes watch through
 * the gateway event by event, and a local HTTPS WebSocket server standing in for a member's
 * exec endpoint (it echoes messages and records the headers it was called with).
 */
import type { IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import type { ServingCertificate } from "../../fleet/pki.js";

export interface WatchEvent {
  readonly type: string;
  readonly object: { metadata?: { name?: string } };
}

export interface OpenWatch {
  /** Resolves with the first event matching, while the stream stays open. */
  next(match: (event: WatchEvent) => boolean, timeoutMs: number): Promise<WatchEvent>;
  close(): void;
}

/** Opens a watch (GET with `watch=true`) and resolves once the response headers arrived. */
export function openWatch(url: string, caPem: string, token: string): Promise<OpenWatch> {
  const events: WatchEvent[] = [];
  const waiters: Array<() => void> = [];
  let buffered = "";
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      { ca: caPem, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`watch answered ${res.statusCode}`));
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines.filter((l) => l.trim() !== ""))
            events.push(JSON.parse(line) as WatchEvent);
          for (const wake of waiters.splice(0)) wake();
        });
        res.on("error", () => undefined);
        resolve({
          close: () => req.destroy(),
          next: (match, timeoutMs) =>
            new Promise((found, fail) => {
              const timer = setTimeout(() => fail(new Error("no matching watch event")), timeoutMs);
              const check = (): void => {
                const event = events.find(match);
                if (event === undefined) return void waiters.push(check);
                clearTimeout(timer);
                found(event);
              };
              check();
            }),
        });
      },
    );
    req.on("error", reject);
  });
}

export interface WsMember {
  readonly endpoint: string;
  /** Headers of every WebSocket handshake the member received. */
  readonly handshakes: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 answering `/readyz` and echoing WebSocket messages. */
export async function startWsMember(tls: ServingCertificate): Promise<WsMember> {
  const handshakes: IncomingHttpHeaders[] = [];
  const server = https.createServer({ cert: tls.serving.cert, key: tls.serving.key }, (_req, res) =>
    res.end("ok"),
  );
  const wss = new WebSocketServer({ server });
  wss.on("connection", (socket, req) => {
    handshakes.push(req.headers);
    socket.on("message", (data: Buffer) => socket.send(`echo ${data.toString("utf8")}`));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    handshakes,
    close: () =>
      new Promise((r) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
