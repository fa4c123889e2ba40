/**
 * Images on a real node: no registry is reachable, so every image is a docker-archive built on
 * this machine and loaded into the node's containerd with `ctr images import`, in the
 * `k8s.io` namespace the kubelet uses.
 */
import type { StartedProcess } from "../processes.js";
import { waitFor } from "../wait.js";
import { run } from "./exec.js";

export async function waitForContainerd(
  ctr: string,
  socket: string,
  containerd: StartedProcess,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    "containerd",
    () =>
      run(ctr, ["--address", socket, "version"]).then(
        () => true as const,
        () => undefined,
      ),
    { timeoutMs, processes: [containerd] },
  );
}

export async function importImages(
  ctr: string,
  socket: string,
  archives: readonly string[],
): Promise<void> {
  for (const archive of archives)
    await run(ctr, ["--address", socket, "-n", "k8s.io", "images", "import", archive]);
}
