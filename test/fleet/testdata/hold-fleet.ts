/**
 * Helper program for the fleet's signal tests: starts a one-cluster fleet attached to this
 * process, prints `{"pids":[...],"ports":[...]}` on one line, then either waits to be
 * interrupted (`wait`) or exits at once without calling stop() (`exit`).
 */
import { startFleet } from "../../../fleet/fleet.js";

const mode = process.argv[2] ?? "wait";
const fleet = await startFleet({ clusters: [{ name: "solo", nodes: 1 }] });
process.stdout.write(JSON.stringify({ pids: fleet.pids(), ports: fleet.ports() }) + "\n");
if (mode === "exit") process.exit(0);
setInterval(() => undefined, 60_000);
