/**
 * The counting proxy with a real loopback TCP peer (an echo server): bytes are piped and
 * counted each way, a partition cuts open connections and resets new ones, healing lets them
 * through again.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startCountingProxy, type CountingProxy } from "./proxy.js";

let echo: net.Server | undefined;
let proxy: CountingProxy | undefined;

afterEach(async () => {
  await proxy?.stop();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
  [echo, proxy] = [undefined, undefined];
});

async function echoServer(): Promise<number> {
  echo = net.createServer((socket) => {
    socket.on("error", () => socket.destroy());
    // Answers every chunk twice, so the two directions count differently.
    socket.on("data", (chunk: Buffer) => socket.write(Buffer.concat([chunk, chunk])));
  });
  await new Promise<void>((resolve) => echo?.listen(0, "127.0.0.1", () => resolve()));
  return (echo.address() as net.AddressInfo).port;
}

/** Connects through the proxy, sends `text`, resolves with the answer once it has `want` bytes. */
function exchange(
  port: number,
  text: string,
  want: number,
): Promise<{ answer: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => socket.write(text));
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.length >= want) resolve({ answer, socket });
    });
    socket.once("error", reject);
    socket.once("close", () => reject(new Error(`closed after "${answer}"`)));
  });
}

describe("the counting proxy", () => {
  it("pipes both ways and counts the bytes of each direction", async () => {
    proxy = await startCountingProxy({ targetPort: await echoServer() });
    expect(proxy.url).toBe(`https://127.0.0.1:${proxy.port}`);
    const { answer, socket } = await exchange(proxy.port, "hello", 10);
    expect(answer).toBe("hellohello");
    socket.destroy();
    expect(proxy.counts()).toEqual({ toHub: 5, fromHub: 10, connections: 1 });
  });

  it("cuts open connections and refuses new ones while partitioned, then heals", async () => {
    proxy = await startCountingProxy({ targetPort: await echoServer() });
    const { socket } = await exchange(proxy.port, "a", 2);
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.on("error", () => undefined);
    proxy.partition(true);
    await closed;
    await expect(exchange(proxy.port, "b", 2)).rejects.toThrow();
    proxy.partition(false);
    const healed = await exchange(proxy.port, "c", 2);
    expect(healed.answer).toBe("cc");
    healed.socket.destroy();
    expect(proxy.counts().connections).toBe(2);
  });
});
