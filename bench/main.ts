/**
 * `npm run bench -- <name>`: runs one benchmark. Each prints its figures as it goes and, as its
 * last line, one JSON object.
 */
import { agentBench } from "./agent.js";
import { cliStartupBench } from "./cli-startup.js";
import { fleetStartup } from "./fleet-startup.js";
import { gatewayBench } from "./gateway.js";
import { hubScaleBench } from "./hub-scale.js";
import { imageBench } from "./image.js";
import { renderBench } from "./render.js";
import { workflowBench } from "./workflow.js";

const benchmarks: Record<string, () => Promise<Record<string, unknown>>> = {
  agent: agentBench,
  "cli-startup": cliStartupBench,
  "fleet-startup": fleetStartup,
  gateway: gatewayBench,
  "hub-scale": hubScaleBench,
  image: imageBench,
  render: renderBench,
  workflow: workflowBench,
};

const name = process.argv[2];
const bench = name === undefined ? undefined : benchmarks[name];
if (bench === undefined) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join("|")}>`);
  process.exit(2);
}
const result = await bench();
console.log(JSON.stringify(result));
