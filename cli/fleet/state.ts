/**
 * The record of a fleet started by `flotilla fleet up`, kept in `<fleetDir>/state.json` so
 * that `fleet status` and `fleet down` (later, separate processes) can find it.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface FleetStateCluster {
  readonly name: string;
  readonly hub: boolean;
  readonly server: string;
  readonly kubeconfigFile: string;
  readonly nodes: number;
  readonly pools: readonly string[];
  readonly pids: readonly number[];
}

/** The gateway process `fleet up` starts next to the hub (absent in older state files). */
export interface FleetStateGateway {
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
}

/** The hub controller process `fleet up` starts (absent in older state files). */
export interface FleetStateHub {
  readonly pid: number;
  readonly metricsUrl: string;
  readonly logFile: string;
}

/** One member's agent process (`agent/main.ts`). */
export interface FleetStateAgent {
  readonly cluster: string;
  readonly pid: number;
  readonly logFile: string;
}

export interface FleetState {
  readonly version: 1;
  readonly startedAt: string;
  readonly workDir: string;
  readonly logDir: string;
  readonly etcdPid: number;
  readonly clusters: readonly FleetStateCluster[];
  readonly gateway?: FleetStateGateway;
  readonly hubController?: FleetStateHub;
  readonly agents?: readonly FleetStateAgent[];
  /** Flotilla installed by its charts (`fleet up --in-cluster`) instead of processes. */
  readonly inCluster?: {
    readonly namespace: string;
    readonly release: string;
    readonly agents: readonly string[];
  };
}

export const stateFile = (fleetDir: string): string => path.join(fleetDir, "state.json");

/** Every pid of the fleet. */
export function statePids(state: FleetState): number[] {
  const gateway = state.gateway === undefined ? [] : [state.gateway.pid];
  const hub = state.hubController === undefined ? [] : [state.hubController.pid];
  const agents = (state.agents ?? []).map((a) => a.pid);
  return [...agents, ...hub, ...gateway, state.etcdPid, ...state.clusters.flatMap((c) => c.pids)];
}

/** Parses a state file's text; throws with the file name when it is not a fleet state. */
export function parseFleetState(text: string, file: string): FleetState {
  const value = JSON.parse(text) as Partial<FleetState>;
  if (value.version !== 1 || !Array.isArray(value.clusters) || typeof value.workDir !== "string") {
    throw new Error(`${file} is not a Flotilla fleet state file (remove it to start afresh)`);
  }
  return value as FleetState;
}

export async function readFleetState(fleetDir: string): Promise<FleetState | undefined> {
  const file = stateFile(fleetDir);
  if (!existsSync(file)) return undefined;
  return parseFleetState(await readFile(file, "utf8"), file);
}

export async function writeFleetState(fleetDir: string, state: FleetState): Promise<void> {
  await mkdir(fleetDir, { recursive: true });
  await writeFile(stateFile(fleetDir), JSON.stringify(state, null, 2) + "\n");
}

export async function removeFleetState(fleetDir: string): Promise<void> {
  await rm(stateFile(fleetDir), { force: true });
}
