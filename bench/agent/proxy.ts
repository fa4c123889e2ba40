/**
 * A counting TCP proxy on 127.0.0.1 for the agent benchmark: the agent's hub kubeconfig points
 * here, every connection is piped to the hub's API server unchanged (TLS passes through, so
 * the counts are bytes on the wire, TLS framing included), and the bytes are counted in each
 * direction. `partition(true)` cuts every open connection and resets new ones until
 * `partition(false)`: a network partition between the agent and the hub.
 */
import net from "node:net";

export interface ByteCounts {
  /** Bytes the agent sent towards the hub. */
  readonly toHub: number;
  /** Bytes the hub sent back to the agent. */
  readonly fromHub: number;
  /** Connections accepted (and piped) so far. */
  readonly connections: number;
}

export interface CountingProxy {
  /** `https://127.0.0.1:<port>` (for a kubeconfig's `server`). */
  readonly url: string;
  readonly port: number;
  counts(): ByteCounts;
  /** On: cut open connections, reset new ones. Off: pipe again. */
  partition(on: boolean): void;
  /** Closes the listener and every connection. Idempotent. */
  stop(): Promise<void>;
}

export interface CountingProxyOptions {
  /** Where to forward, e.g. the hub API server's loopback port. */
  readonly targetPort: number;
  readonly targetHost?: string;
}

export async function startCountingProxy(options: CountingProxyOptions): Promise<CountingProxy> {
  const host = options.targetHost ?? "127.0.0.1";
  const counts = { toHub: 0, fromHub: 0, connections: 0 };
  const open = new Set<net.Socket>();
  let partitioned = false;

  const track = (socket: net.Socket): void => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    // A reset from either side ends the pair; the error itself is expected and not logged.
    socket.on("error", () => socket.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    if (partitioned) {
      client.resetAndDestroy();
      return;
    }
    counts.connections += 1;
    const upstream = net.connect({ host, port: options.targetPort });
    track(upstream);
    client.on("data", (chunk: Buffer) => (counts.toHub += chunk.length));
    upstream.on("data", (chunk: Buffer) => (counts.fromHub += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    counts: () => ({ ...counts }),
    partition(on) {
      partitioned = on;
      if (on) for (const socket of open) socket.resetAndDestroy();
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}
