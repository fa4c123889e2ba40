/**
 * `flotilla cluster` through `main` without a reachable hub: input errors come first and are
 * one line; an unreachable hub is one line naming it. The real work is covered by
 * test/cli/cluster-cli.integration.test.ts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../main.js";
import { freePorts } from "../../fleet/ports.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function deadHub(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-cluster-cmd-"));
  dirs.push(dir);
  const file = path.join(dir, "hub.kubeconfig");
  const server = `https://127.0.0.1:${(await freePorts(1))[0]}`;
  await writeFile(
    file,
    `clusters: [{name: hub, cluster: {server: '${server}', insecure-skip-tls-verify: true}}]\n` +
      "users: [{name: u, user: {token: t}}]\ncontexts: [{name: hub, context: {cluster: hub, user: u}}]\n" +
      "current-context: hub\n",
  );
  return file;
}

const run = async (...args: string[]) => {
  const c = capture();
  const code = await main(["node", "flotilla", "cluster", ...args], c.io);
  return { code, out: c.out.join("\n"), err: c.err.join("\n") };
};

describe("flotilla cluster (no hub needed)", () => {
  it("reports bad labels before contacting the hub", async () => {
    const hub = await deadHub();
    const result = await run("labels", "add", "m", "ok=1,bad key=2", "--kubeconfig", hub);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "error: invalid labels: \"bad key=2\": key name part must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit",
    );
  });

  it("refuses to edit or export local", async () => {
    const hub = await deadHub();
    expect((await run("alias", "local", "hub", "--kubeconfig", hub)).err).toContain(
      '"local" is the hub itself',
    );
    expect((await run("export-config", "local", "--kubeconfig", hub)).err).toContain(
      '"local" is the hub itself',
    );
  });

  it("says in one line that the hub cannot be reached", async () => {
    const hub = await deadHub();
    const result = await run("list", "--kubeconfig", hub);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: listing clusters on the hub: .*ECONNREFUSED/);
    expect(result.err.split("\n")).toHaveLength(1);
  });

  it("rejects an unknown output format", async () => {
    const hub = await deadHub();
    expect((await run("list", "-o", "wide", "--kubeconfig", hub)).err).toContain(
      'unknown output format "wide"',
    );
  });

  it("checks the agent flags before reading the member kubeconfig or the hub", async () => {
    const hub = await deadHub();
    const missing = path.join(os.tmpdir(), "no-such-member.kubeconfig");
    const orphan = await run("join", missing, "--agent-secret", "--kubeconfig", hub);
    expect(orphan).toMatchObject({ code: 1, err: "error: --agent-secret needs --agent" });
    const short = await run(
      "join",
      missing,
      "--agent",
      "--agent-token-ttl",
      "1m",
      "--kubeconfig",
      hub,
    );
    expect(short.err).toMatch(
      /^error: --agent-token-ttl 1m: a token lifetime must be .* at least 10m/,
    );
    const noHub = await run(
      "agent-access",
      "m",
      "--agent-token-ttl",
      "5m",
      "--kubeconfig",
      missing,
    );
    expect(noHub.err).toMatch(/^error: --agent-token-ttl 5m: /);
  });

  it("refuses agent access for local and hand-outs with --revoke", async () => {
    const hub = await deadHub();
    expect((await run("agent-access", "local", "--kubeconfig", hub)).err).toBe(
      'error: "local" is the hub itself: it has no agent',
    );
    const revoke = await run(
      "agent-access",
      "m",
      "--revoke",
      "--agent-secret",
      "--kubeconfig",
      hub,
    );
    expect(revoke.err).toBe(
      "error: --revoke takes no --agent-kubeconfig, --agent-secret, --agent-token-ttl or --agent-values",
    );
  });

  it("refuses to revoke the access of an invalid cluster name before calling the hub", async () => {
    const result = await run("agent-access", "Bad_1", "--revoke", "--kubeconfig", await deadHub());
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error: invalid cluster name "Bad_1": /);
  });

  it("says in one line that agent access cannot reach the hub", async () => {
    const hub = await deadHub();
    const result = await run("agent-access", "m", "--kubeconfig", hub);
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    expect(result.err.split("\n")).toHaveLength(1);
    expect(result.err).toMatch(/^error: .*ECONNREFUSED/);
  });
});
