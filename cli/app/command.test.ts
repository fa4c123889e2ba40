/**
 * The application commands through `main` without a reachable hub: flags and files are
 * checked before the hub is contacted, and an unreachable hub is one line. The real work is
 * covered by test/cli/app-cli.integration.test.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.js";

let dir: string;
let hub: string;

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-app-cmd-"));
  hub = path.join(dir, "hub.kubeconfig");
  const server = `https://127.0.0.1:${await closedPort()}`;
  await writeFile(
    hub,
    `clusters: [{name: hub, cluster: {server: '${server}', insecure-skip-tls-verify: true}}]\n` +
      "users: [{name: u, user: {token: t}}]\ncontexts: [{name: hub, context: {cluster: hub, user: u}}]\n" +
      "current-context: hub\n",
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const code = await main(["node", "flotilla", ...args, "--kubeconfig", hub], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
};

describe("application commands (no hub needed)", () => {
  it("rejects a bad file before contacting the hub, naming the file", async () => {
    const file = path.join(dir, "cm.yaml");
    await writeFile(file, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    const result = await run("up", "-f", file);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `error: ${file} (document 1): expected an Application (core.oam.dev/v1beta1), got kind "ConfigMap" (apiVersion "v1")`,
    );
    const missing = await run("up", "-f", path.join(dir, "nope.yaml"));
    expect(missing.err).toMatch(/^error: cannot read .*nope\.yaml: ENOENT/);
  });

  it("rejects flag combinations and durations before contacting the hub", async () => {
    expect((await run("status", "web", "--detail")).err).toBe(
      "error: --detail only works with --tree",
    );
    expect((await run("status", "web", "-o", "table")).err).toBe(
      'error: unknown output format "table" (use yaml or json)',
    );
    expect((await run("status", "web", "--tree", "-o", "json")).err).toBe(
      "error: --tree and -o cannot be used together",
    );
    expect((await run("delete", "web", "--timeout", "soon")).err).toContain(
      'error: invalid --timeout "soon"',
    );
  });

  it("says in one line that the hub cannot be reached", async () => {
    const result = await run("ls");
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^error: listing applications in namespace "default": .*ECONNREFUSED/,
    );
    expect(result.err.split("\n")).toHaveLength(1);
    const status = await run("status", "web", "-n", "prod");
    expect(status.err).toMatch(
      /^error: reading application "web" in namespace "prod": .*ECONNREFUSED/,
    );
  });
});
