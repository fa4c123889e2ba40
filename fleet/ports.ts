/**
 * Port allocation on 127.0.0.1. The fleet binds nothing but loopback; free ports are found by
 * letting the kernel choose one, and a requested fixed port is checked before use so a clash
 * reports which port and which process asked for it.
 */
import net from "node:net";

/** Raised when a port that the fleet must use is already taken. */
export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  readonly port: number;
  readonly purpose: string;
  constructor(port: number, purpose: string) {
    super(`port 127.0.0.1:${port} (${purpose}) is already in use`);
    this.port = port;
    this.purpose = purpose;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => {
      const address = server.address();
      const chosen = typeof address === "object" && address !== null ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}

/**
 * Returns `count` distinct free ports. Ports are unique within one call and kept apart from
 * `avoid` (ports handed out earlier but not bound yet).
 */
export async function freePorts(
  count: number,
  avoid: ReadonlySet<number> = new Set(),
): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await listenOnce(0);
    if (!avoid.has(port) && !ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** True when nothing listens on 127.0.0.1:`port`. */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

/** Throws `PortInUseError` when the port is taken. */
export async function assertPortFree(port: number, purpose: string): Promise<void> {
  if (!(await isPortFree(port))) throw new PortInUseError(port, purpose);
}
