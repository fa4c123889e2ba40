/**
 * Helper program for the fleet's signal tests: starts a one-cluster fleet attached to this
 * process (with one real node when the second argument is `real`), prints
 * `{"pids":[...],"ports":[...]}` on one line, then either waits to be interrupted (`wait`) or
 * exits at once without calling stop() (`exit`).
 */
import { startFleet } from "../../../fleet/fleet.js";

const mode = process.argv[2] ?? "wait";
const realNodes = process.argv[3] === "real" ? 1 : 0;
const fleet = await startFleet({ clusters: [{ name: "solo", nodes: 1, realNodes }] });
const nodes = fleet.clusters.flatMap((c) => c.realNodes);
const plans = nodes.map((n) => n.plan);
const nodePids = nodes.flatMap((n) => n.processes.map((p) => p.pid));
const held = { pids: fleet.pids(), ports: fleet.ports(), plans, nodePids };
process.stdout.write(JSON.stringify(held) + "\n");
if (mode === "exit") process.exit(0);
setInterval(() => undefined, 60_000);
