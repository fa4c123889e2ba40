/**
 * Where a hub process's start-up time goes, from its JSON log lines: seconds from the spawn
 * to `serving metrics` (Node, tsx and the modules loaded, config parsed), to `started leading`
 * (the leader Lease taken) and to `hub started` (CRDs checked, CUE and the built-in
 * definitions initialised, every informer listed).
 */
import { readFileSync } from "node:fs";

export interface StartupMarks {
  readonly process_up_s: number;
  readonly leading_s: number;
  readonly hub_started_s: number;
}

const MARKS = {
  process_up_s: "serving metrics",
  leading_s: "started leading",
  hub_started_s: "hub started",
} as const;

interface Line {
  readonly time?: string;
  readonly message?: string;
}

function parse(line: string): Line | undefined {
  try {
    return JSON.parse(line) as Line;
  } catch {
    return undefined;
  }
}

/** The marks of the process spawned at `spawnedAtMs` (epoch ms), from the log's text (pure). */
export function startupMarks(text: string, spawnedAtMs: number): StartupMarks | undefined {
  const lines = text
    .split("\n")
    .flatMap((l) => parse(l) ?? [])
    .filter((l) => l.time !== undefined && Date.parse(l.time) >= spawnedAtMs);
  const at = (message: string): number | undefined => {
    const line = lines.find((l) => l.message === message);
    return line?.time === undefined
      ? undefined
      : Number(((Date.parse(line.time) - spawnedAtMs) / 1000).toFixed(3));
  };
  const up = at(MARKS.process_up_s);
  const leading = at(MARKS.leading_s);
  const started = at(MARKS.hub_started_s);
  if (up === undefined || leading === undefined || started === undefined) return undefined;
  return { process_up_s: up, leading_s: leading, hub_started_s: started };
}

/** `startupMarks` of the log file; undefined when it cannot be read or lacks a mark. */
export function readStartupMarks(logFile: string, spawnedAtMs: number): StartupMarks | undefined {
  try {
    return startupMarks(readFileSync(logFile, "utf8"), spawnedAtMs);
  } catch {
    return undefined;
  }
}
