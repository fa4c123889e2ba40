import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../core/config/flags.js";
import { defaults, durationText, loadHubConfig } from "./config.js";
import { hubSettings } from "./start.js";

describe("the hub's defaults", () => {
  it("are what the flags default to", () => {
    expect(loadHubConfig({}, ["--identity", "a"])).toMatchObject(defaults);
  });

  it("are what startHub falls back to for options left out", () => {
    expect(hubSettings({ hub: new KubeConfig() })).toEqual({
      stateKeepMs: defaults.stateKeepIntervalMs,
      healthPollMs: defaults.healthPollIntervalMs,
      workers: defaults.workers,
      skipUnhealthyClusters: defaults.skipUnhealthyClusters,
      clusterHealth: {
        gracePeriodMs: defaults.clusterGracePeriodMs,
        startupGraceMs: defaults.clusterStartupGracePeriodMs,
      },
    });
  });

  it("give way to the options a caller sets", () => {
    const settings = hubSettings({
      hub: new KubeConfig(),
      stateKeepIntervalMs: 1_000,
      workers: 1,
      clusterHealth: { startupGraceMs: 5_000 },
    });
    expect(settings).toMatchObject({ stateKeepMs: 1_000, workers: 1 });
    expect(settings.clusterHealth).toEqual({
      gracePeriodMs: defaults.clusterGracePeriodMs,
      startupGraceMs: 5_000,
    });
  });
});

describe("durationText", () => {
  it("writes a duration in its largest whole unit, which the flags parse back", () => {
    for (const [ms, text] of [
      [300_000, "5m"],
      [5_000, "5s"],
      [1_500, "1500ms"],
      [7_200_000, "2h"],
      [90_000, "90s"],
    ] as const) {
      expect(durationText(ms)).toBe(text);
      expect(parseDuration(text)).toBe(ms);
    }
  });
});
