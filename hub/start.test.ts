import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { defaults, loadHubConfig } from "./config.js";
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
