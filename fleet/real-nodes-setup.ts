/**
 * What a fleet with real nodes does before its clusters start: check the tools, clear what a
 * killed run left behind (saying what it cleared), and know where the node images come from.
 */
import { cleanupNode, type CleanupReport } from "./real-node/cleanup.js";
import { RealNodeError } from "./real-node/exec.js";
import { isLeftover, readRecords } from "./real-node/records.js";
import { missingTools } from "./real-node/tools.js";
import { isAlive } from "./processes.js";
import type { NodeImages } from "./cluster-real-nodes.js";
import { ensureNodeImages } from "./image/node-images.js";
import { ensureFlotillaImage } from "./image/flotilla-image.js";

/** Clears leftovers of killed runs; returns what was cleared. */
export function clearLeftovers(log: (line: string) => void): CleanupReport[] {
  const reports = readRecords()
    .filter((r) => isLeftover(r, isAlive))
    .map((r) => cleanupNode(r));
  for (const r of reports)
    log(
      `[fleet] cleared a killed run's real node ${r.node}: ${r.killed} process(es), ${r.unmounted} mount(s), ${r.cgroups} cgroup(s)` +
        (r.sysctls.length > 0 ? `, restored ${r.sysctls.join(", ")}` : ""),
    );
  return reports;
}

/** Checks the tools real nodes need and clears leftovers; throws naming what is missing. */
export function prepareRealNodes(log: (line: string) => void): void {
  const missing = missingTools();
  if (missing !== undefined) throw new RealNodeError(missing);
  if (process.getuid?.() !== 0)
    throw new RealNodeError(
      "real fleet nodes need root (network namespaces, cgroups, mounts); set realNodes: 0",
    );
  clearLeftovers(log);
}

/**
 * The pause and test images, and Flotilla's own when `flotilla` is set, built once and cached
 * (fleet/image/); asked for only when a cluster has real nodes.
 */
export function defaultNodeImages(
  log: (line: string) => void,
  flotilla: boolean,
): () => Promise<NodeImages> {
  let images: Promise<NodeImages> | undefined;
  const build = async (): Promise<NodeImages> => {
    const built = await ensureNodeImages({ log });
    const own = flotilla ? [(await ensureFlotillaImage({ log })).archive] : [];
    return {
      sandbox: built.pause.tag,
      archives: [built.pause.archive, built.test.archive, ...own],
    };
  };
  return () => (images ??= build());
}

/** Stops and removes the real nodes whose files live under `workDir` (`fleet down`). */
export function cleanupNodesUnder(workDir: string): CleanupReport[] {
  const prefix = workDir.endsWith("/") ? workDir : `${workDir}/`;
  return readRecords()
    .filter((r) => r.plan.dir.startsWith(prefix))
    .map((r) => cleanupNode(r));
}
