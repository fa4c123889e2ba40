/**
 * `flotilla gateway` through `main` without a reachable hub: flag and CA-file mistakes come
 * first, in one line naming the flag or file; an unreachable hub is one line. Registration on
 * a real hub is covered by test/cli/install-cli.integration.test.ts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { freePorts } from "../../fleet/ports.js";

let dir: string;
let hub: string;
let ca: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-gateway-cmd-"));
  hub = path.join(dir, "hub.kubeconfig");
  const server = `https://127.0.0.1:${(await freePorts(1))[0]}`;
  await writeFile(
    hub,
    `clusters: [{name: hub, cluster: {server: '${server}', insecure-skip-tls-verify: true}}]\n` +
      "users: [{name: u, user: {token: t}}]\ncontexts: [{name: hub, context: {cluster: hub, user: u}}]\n" +
      "current-context: hub\n",
  );
  ca = path.join(dir, "ca.crt");
  await writeFile(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const code = await main(["node", "flotilla", "gateway", ...args, "--kubeconfig", hub], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
};

describe("flotilla gateway (no hub needed)", () => {
  it("requires the port and the CA file (commander reports it on stderr)", async () => {
    expect(await run("register", "--ca-file", ca)).toMatchObject({ code: 1, out: "" });
    expect(await run("register", "--port", "9443")).toMatchObject({ code: 1, out: "" });
  });

  it("names a bad flag or CA file before contacting the hub", async () => {
    expect((await run("register", "--port", "x", "--ca-file", ca)).err).toBe(
      'error: --port "x": a port is a number from 1 to 65535',
    );
    const missing = path.join(dir, "missing.crt");
    expect((await run("register", "--port", "9443", "--ca-file", missing)).err).toMatch(
      new RegExp(`^error: cannot read --ca-file ${missing}: ENOENT`),
    );
    expect((await run("register", "--port", "9443", "--ca-file", hub)).err).toBe(
      `error: --ca-file ${hub} holds no PEM certificate`,
    );
  });

  it("says in one line that the hub cannot be reached", async () => {
    const register = await run("register", "--port", "9443", "--ca-file", ca, "--no-wait");
    expect(register.code).toBe(1);
    expect(register.err.split("\n")).toHaveLength(1);
    expect(register.err).toMatch(/^error: .*ECONNREFUSED/);
    const unregister = await run("unregister");
    expect(unregister.code).toBe(1);
    expect(unregister.err).toMatch(/^error: .*ECONNREFUSED/);
  });
});
