import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliConfig } from "../config.js";
import { writeFleetState } from "../fleet/state.js";
import { hubKubeconfigFile, loadHub } from "./hub.js";

let dir: string;
const config = (over: Partial<CliConfig> = {}): CliConfig => ({
  home: dir,
  fleetDir: path.join(dir, "fleet"),
  kubeconfigEnv: [],
  userKubeconfig: path.join(dir, "kube", "config"),
  ...over,
});

async function fleetWithHub(pid: number): Promise<string> {
  const file = path.join(dir, "fleet", "local.kubeconfig");
  await writeFleetState(path.join(dir, "fleet"), {
    version: 1,
    startedAt: "2026-01-01T00:00:00Z",
    workDir: dir,
    logDir: dir,
    etcdPid: pid,
    clusters: [
      {
        name: "local",
        hub: true,
        server: "https://127.0.0.1:1",
        kubeconfigFile: file,
        nodes: 1,
        pools: [],
        pids: [pid],
      },
    ],
  });
  return file;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-hub-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("choosing the hub kubeconfig", () => {
  it("prefers --kubeconfig, then KUBECONFIG's first existing file", async () => {
    const env = path.join(dir, "env.kubeconfig");
    await writeFile(env, "");
    const cli = config({ kubeconfigEnv: [path.join(dir, "missing"), env] });
    expect(await hubKubeconfigFile(cli, "rel/hub.yaml")).toEqual({
      file: path.resolve("rel/hub.yaml"),
      origin: "--kubeconfig",
    });
    expect(await hubKubeconfigFile(cli, undefined)).toEqual({ file: env, origin: "KUBECONFIG" });
    await expect(
      hubKubeconfigFile(config({ kubeconfigEnv: [path.join(dir, "missing")] }), undefined),
    ).rejects.toThrow(/none of the KUBECONFIG files exists/);
  });

  it("uses the running local fleet's hub, else ~/.kube/config", async () => {
    await expect(hubKubeconfigFile(config(), undefined)).rejects.toThrow(/no hub kubeconfig/);
    const hubFile = await fleetWithHub(process.pid);
    expect(await hubKubeconfigFile(config(), undefined)).toEqual({
      file: hubFile,
      origin: "the local fleet",
    });
    await fleetWithHub(2 ** 22 + 1); // not a live pid: the fleet is down
    await expect(hubKubeconfigFile(config(), undefined)).rejects.toThrow(/flotilla fleet up/);
    await writeFile(path.join(dir, "user-config"), "");
    expect(
      await hubKubeconfigFile(config({ userKubeconfig: path.join(dir, "user-config") }), undefined),
    ).toEqual({
      file: path.join(dir, "user-config"),
      origin: "~/.kube/config",
    });
  });

  it("loads the hub's client configuration and current context", async () => {
    const file = path.join(dir, "hub.yaml");
    await writeFile(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: hub, cluster: {server: 'https://127.0.0.1:6443'}}]",
        "users: [{name: admin, user: {token: t}}]",
        "contexts: [{name: hub, context: {cluster: hub, user: admin}}]",
        "current-context: hub",
      ].join("\n"),
    );
    const hub = await loadHub(config(), file);
    expect(hub.server).toBe("https://127.0.0.1:6443");
    expect(hub.context.userName).toBe("admin");
    expect(hub.kc.getCurrentUser()?.token).toBe("t");
    await expect(loadHub(config(), path.join(dir, "nope.yaml"))).rejects.toThrow(
      /cannot read the hub kubeconfig/,
    );
  });
});
