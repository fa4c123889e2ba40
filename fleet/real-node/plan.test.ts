import { describe, expect, it } from "vitest";
import {
  apiRelayAddress,
  fleetRelayAddress,
  hubRelayAddress,
  maxFleetClusters,
  maxSlots,
  realNodePlan,
} from "./plan.js";

describe("realNodePlan", () => {
  it("derives every machine-wide name and address from the slot", () => {
    const plan = realNodePlan({
      slot: 7,
      cluster: "member-1",
      index: 0,
      clusterDir: "/w/member-1",
    });
    expect(plan).toMatchObject({
      name: "member-1-real-0",
      netns: "flt-7",
      hostInterface: "flt7h",
      hostAddress: "10.250.7.1",
      nodeAddress: "10.250.7.2",
      podCidr: "10.244.7.0/24",
      cgroupRoot: "/flt-7",
      dir: "/w/member-1/nodes/member-1-real-0",
      runDir: "/run/flotilla/flt-7",
    });
  });

  it("keeps interface names within the kernel's 15 bytes for every slot", () => {
    const last = realNodePlan({ slot: maxSlots - 1, cluster: "c", index: 0, clusterDir: "/w" });
    expect(last.hostInterface.length).toBeLessThanOrEqual(15);
  });

  it("refuses a slot outside the range", () => {
    expect(() =>
      realNodePlan({ slot: maxSlots, cluster: "c", index: 0, clusterDir: "/w" }),
    ).toThrow(/slot must be 0\.\.63/);
    expect(() => realNodePlan({ slot: -1, cluster: "c", index: 0, clusterDir: "/w" })).toThrow(
      RangeError,
    );
  });
});

describe("fleetRelayAddress", () => {
  it("gives each fleet cluster its own relay address, apart from the own-API and hub relays", () => {
    expect(fleetRelayAddress(0)).toBe("10.255.255.10");
    expect(fleetRelayAddress(2)).toBe("10.255.255.12");
    const addresses = Array.from({ length: maxFleetClusters }, (_, i) => fleetRelayAddress(i));
    expect(new Set([...addresses, apiRelayAddress, hubRelayAddress]).size).toBe(
      maxFleetClusters + 2,
    );
    expect(() => fleetRelayAddress(maxFleetClusters)).toThrow(/must be 0\.\.63/);
    expect(() => fleetRelayAddress(-1)).toThrow(RangeError);
  });
});
