import net from "node:net";
import { describe, expect, it } from "vitest";
import { assertPortFree, freePorts, isPortFree, PortInUseError } from "./ports.js";

describe("ports", () => {
  it("hands out distinct free loopback ports, avoiding the given ones", async () => {
    const first = await freePorts(5);
    expect(new Set(first).size).toBe(5);
    const second = await freePorts(5, new Set(first));
    expect(second.some((p) => first.includes(p))).toBe(false);
    for (const port of second) expect(await isPortFree(port)).toBe(true);
  });

  it("names the port and its purpose when it is taken", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expect(await isPortFree(port)).toBe(false);
      await expect(assertPortFree(port, "kube-apiserver of member-1")).rejects.toThrow(
        new PortInUseError(port, "kube-apiserver of member-1"),
      );
    } finally {
      server.close();
    }
  });
});
