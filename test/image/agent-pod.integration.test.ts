/**
 * Flotilla's image, run the way users run it: each program answers `--help` in a container
 * (read-only root, non-root user), and the agent, started as a pod on member-1's real node
 * with its hub credential mounted from a Secret, reports to the hub until `flotilla cluster
 * list` shows member-1 Ready with the real node counted.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { joinFleetMembers } from "../../fleet/gateway.js";
import { ensureFlotillaImage, type FlotillaImage } from "../../fleet/image/flotilla-image.js";
import { podman, ulimitFlags } from "../../fleet/image/podman.js";
import { hubRelayAddress, relayPort } from "../../fleet/real-node/plan.js";
import { waitFor } from "../../fleet/wait.js";
import { runCli } from "../support/run-cli.js";
import { agentPodManifests } from "../support/agent-pod.js";

const run = promisify(execFile);
let image: FlotillaImage;
let fleet: Fleet | undefined;

beforeAll(async () => {
  image = await ensureFlotillaImage();
});

afterAll(async () => {
  await fleet?.stop();
});

/** Runs the image once, as its non-root user with a read-only root (podman adds a tmpfs /tmp). */
function inContainer(entry: string[], args: string[]) {
  const flags = ["run", "--rm", "--read-only", "--network=none", ...ulimitFlags];
  return podman([...flags, "--entrypoint", JSON.stringify(entry), image.tag, ...args]);
}

describe("Flotilla's image", () => {
  it("holds each program, compiled, answering --help as a non-root user on a read-only root", async () => {
    await podman(["load", "--input", image.archive]);
    const cli = await inContainer(["node", "/app/bin/flotilla.js"], ["--help"]);
    expect(cli).toContain("Usage: flotilla");
    for (const [program, flag] of [
      ["hub", "--skip-unhealthy-clusters"],
      ["gateway", "--tls-cert-file"],
      ["agent", "--hub-kubeconfig"],
    ] as const) {
      const help = await inContainer(["node", `/app/dist/${program}/main.js`], ["--help"]);
      expect(help, program).toContain(`Usage: node dist/${program}/main.js`);
      expect(help, program).toContain(flag);
    }
    const who = await inContainer(
      ["node", "-e"],
      ["console.log(process.getuid(), process.getgid())"],
    );
    expect(who.trim()).toBe("65532 65532");
    const config = JSON.parse(await podman(["image", "inspect", image.tag])) as Array<{
      Size: number;
      Config: { User: string };
    }>;
    expect(config[0]?.Config.User).toBe("65532:65532");
    expect(config[0]?.Size).toBeLessThanOrEqual(250 * 2 ** 20);
  });

  it("runs the agent as a pod on member-1's real node; cluster list shows member-1 Ready", async () => {
    fleet = await startFleet({
      clusters: [
        { name: "local", hub: true, nodes: 1 },
        { name: "member-1", nodes: 1, realNodes: 1 },
      ],
    });
    const member = fleet.cluster("member-1");
    const hub = fleet.cluster("local").kubeconfigFile;
    await member.realNodes[0]?.loadImages([image.archive]);
    await joinFleetMembers(fleet);
    const access = await runCli(
      ...["cluster", "agent-access", "member-1", "--agent-secret", "--kubeconfig", hub],
      ...["--agent-hub-server", `https://${hubRelayAddress}:${relayPort}`],
    );
    expect(access.code, access.err).toBe(0);
    const manifests = path.join(fleet.workDir, "agent-pod.json");
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: agentPodManifests("member-1", image.tag),
    };
    await writeFile(manifests, JSON.stringify(list));
    const kubectl = (await ensureBinaries()).kubectl;
    await run(kubectl, ["--kubeconfig", member.kubeconfigFile, "apply", "-f", manifests]);

    const ready = await waitFor(
      "member-1 Ready in cluster list",
      async () => {
        const out = await runCli("cluster", "list", "-o", "json", "--kubeconfig", hub);
        const views = JSON.parse(out.out) as Array<{
          name: string;
          health: { state: string; nodes?: { total: number; kwok?: number } };
        }>;
        const view = views.find((v) => v.name === "member-1");
        // Ready comes with the first heartbeat; the node counts with the first report
        return view?.health.state === "Ready" && view.health.nodes !== undefined ? view : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(ready.health.nodes).toMatchObject({ total: 2, kwok: 1 });
    const pod = await run(kubectl, [
      ...["--kubeconfig", member.kubeconfigFile, "get", "pod", "-n", "vela-system"],
      ...["flotilla-agent", "-o", "jsonpath={.spec.nodeName} {.status.phase}"],
    ]);
    expect(pod.stdout).toBe("member-1-real-0 Running");
  });
});
