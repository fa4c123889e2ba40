/**
 * Flotilla's programs started for the image benchmark, either inside a container of the image
 * (`podman run`, host network, read-only root, the fleet's files mounted at their own paths,
 * as root inside so they can be read)
 * or as plain node processes from dist/ (the baseline), each with the probe that says it is
 * ready: the hub's `/readyz` says "ready" (definitions loaded, caches synced), the gateway's
 * `/readyz` answers 200, the agent's `/healthz` answers 200 (its first heartbeat renewed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import https from "node:https";
import path from "node:path";
import type { Fleet } from "../../fleet/fleet.js";
import { podmanGlobals, ulimitFlags } from "../../fleet/image/podman.js";
import { repoRoot } from "../../test/support/build.js";

export type Program = "hub" | "gateway" | "agent";

export interface ProgramFiles {
  readonly hubKubeconfig: string;
  readonly memberKubeconfig: string;
  readonly agentKubeconfig: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
  /** For the gateway's /readyz: its CA and a hub admin client certificate. */
  readonly probe: { readonly ca: string; readonly cert: string; readonly key: string };
}

/** The program's own flags for a port (pure). */
export function programArgs(program: Program, files: ProgramFiles, port: number): string[] {
  if (program === "hub")
    return ["--kubeconfig", files.hubKubeconfig, "--metrics-port", String(port)];
  if (program === "gateway")
    return [
      ...["--kubeconfig", files.hubKubeconfig, "--port", String(port)],
      ...["--tls-cert-file", files.tlsCert, "--tls-key-file", files.tlsKey],
    ];
  return [
    ...["--cluster", "member-1", "--kubeconfig", files.memberKubeconfig],
    ...["--hub-kubeconfig", files.agentKubeconfig, "--metrics-port", String(port)],
  ];
}

/** Spawns the program in a container of `image` or, without one, from dist/. */
export function spawnProgram(
  program: Program,
  args: readonly string[],
  fleet: Fleet,
  image?: string,
): ChildProcess {
  if (image === undefined) {
    const entry = path.join(repoRoot, "dist", program, "main.js");
    return spawn(process.execPath, [entry, ...args], { stdio: "ignore" });
  }
  // as root inside: the fleet's credential files are root's, mode 0600 (the image's own user
  // is 65532; a Pod gets its files from Secrets mounted for that user)
  const run = ["run", "--rm", "--read-only", "--network=host", "--user=0:0", ...ulimitFlags];
  const mount = `--volume=${fleet.workDir}:${fleet.workDir}:ro`;
  const entry = ["node", `/app/dist/${program}/main.js`];
  const podmanArgs = [...podmanGlobals(), ...run, mount, `--name=bench-${program}-${process.pid}`];
  return spawn("podman", [...podmanArgs, `--entrypoint=${JSON.stringify(entry)}`, image, ...args], {
    stdio: "ignore",
  });
}

function httpsStatus(url: string, probe: ProgramFiles["probe"]): Promise<number> {
  return new Promise((resolve) => {
    const request = https.get(url, { ca: probe.ca, cert: probe.cert, key: probe.key }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    request.on("error", () => resolve(0));
    request.setTimeout(1_000, () => request.destroy());
  });
}

async function httpText(url: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** Whether the program on `port` is ready (see the module comment). */
export async function isReady(
  program: Program,
  port: number,
  files: ProgramFiles,
): Promise<boolean> {
  if (program === "gateway")
    return (await httpsStatus(`https://127.0.0.1:${port}/readyz`, files.probe)) === 200;
  if (program === "hub")
    return (await httpText(`http://127.0.0.1:${port}/readyz`)).body.includes("ready");
  return (await httpText(`http://127.0.0.1:${port}/healthz`)).status === 200;
}
