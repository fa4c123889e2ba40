/**
 * fleet-startup: time from `startFleet` to a ready fleet (every API server ready, every node
 * Ready, the default ServiceAccount present) for 1 cluster and for the 4-cluster default
 * fleet, with a warm binary cache; and resident memory per cluster once the 4-cluster fleet
 * has settled (its own processes plus an equal share of the fleet's etcd).
 * Targets (issue 3): 4 clusters ready in <= 60 s, <= 700 MiB RSS per cluster.
 */
import { ensureBinaries } from "../fleet/build/binaries.js";
import { defaultFleetConfig } from "../fleet/config.js";
import { startFleet } from "../fleet/fleet.js";
import { rssMiB, sumRssMiB } from "./rss.js";

const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

async function timeFleet(clusters: typeof defaultFleetConfig.clusters, settleMs: number) {
  const binaries = await ensureBinaries();
  const started = performance.now();
  const fleet = await startFleet({ binaries, clusters });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, settleMs));
  const etcd = rssMiB(fleet.etcd.pid);
  const perCluster = Object.fromEntries(
    fleet.clusters.map((c) => [
      c.name,
      round(sumRssMiB(c.processes.map((p) => p.pid)) + etcd / fleet.clusters.length),
    ]),
  );
  await fleet.stop();
  return { seconds, etcd, perCluster };
}

export async function fleetStartup(): Promise<Record<string, unknown>> {
  await ensureBinaries({ log: (line) => console.error(line) });
  const hubOnly = defaultFleetConfig.clusters.filter((c) => c.hub);
  const one = await timeFleet(hubOnly, 0);
  console.log(`1-cluster fleet ready in ${one.seconds.toFixed(1)} s`);
  const four = await timeFleet(defaultFleetConfig.clusters, 20_000);
  console.log(`4-cluster fleet ready in ${four.seconds.toFixed(1)} s`);
  for (const [name, mib] of Object.entries(four.perCluster))
    console.log(`  ${name}: ${mib} MiB RSS`);
  const maxRss = Math.max(...Object.values(four.perCluster));
  return {
    bench: "fleet-startup",
    oneClusterReadySeconds: round(one.seconds),
    fourClusterReadySeconds: round(four.seconds),
    fourVsOneRatio: round(four.seconds / one.seconds, 2),
    rssMiBPerCluster: four.perCluster,
    maxRssMiBPerCluster: maxRss,
    etcdRssMiB: round(four.etcd),
    targets: { fourClusterReadySeconds: 60, rssMiBPerCluster: 700 },
    withinTargets: four.seconds <= 60 && maxRss <= 700,
  };
}
