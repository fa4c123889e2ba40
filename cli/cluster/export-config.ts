/**
 * `flotilla cluster export-config <name>`: prints a kubeconfig that reaches the member through
 * the hub's aggregated gateway (`<hub server>/apis/cluster.core.oam.dev/v1alpha1/
 * clustergateways/<name>/proxy`) with the hub's own credential, as `vela cluster
 * export-config` does, so plain kubectl works without the member's credential.
 */
import path from "node:path";
import { stringify } from "yaml";
import { exportKubeconfig } from "../../core/cluster/kubeconfig.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import { InvalidInputError } from "../../core/errors.js";
import type { Output } from "../output.js";
import type { Hub } from "./hub.js";

export async function clusterExportConfig(hub: Hub, name: string, io: Output): Promise<void> {
  if (name === LOCAL_CLUSTER) {
    throw new InvalidInputError(
      `"${LOCAL_CLUSTER}" is the hub itself: use the hub kubeconfig ${hub.file}`,
    );
  }
  await clusterRegistry({ hub: hub.kc }).get(name);
  const config = exportKubeconfig({
    cluster: name,
    hub: hub.context,
    baseDir: path.dirname(hub.file),
  });
  io.out(stringify(config).trimEnd());
}
