import { describe, expect, it } from "vitest";
import { baseTag, mmdebstrapArgs } from "./base.js";
import { imagePins } from "./pins.js";

describe("the Node bases", () => {
  it("are named by flavour and change with every pin", () => {
    expect(baseTag("build")).toMatch(/^localhost\/flotilla-build:20\.20\.2-[0-9a-f]{16}$/);
    expect(baseTag("runtime")).not.toBe(baseTag("build"));
    expect(baseTag("build", { ...imagePins, node: "20.20.3" })).not.toBe(baseTag("build"));
    expect(baseTag("build", { ...imagePins, baseRecipe: 2 })).not.toBe(baseTag("build"));
  });

  it("make a minimal system to build in and only node's libraries to run on", () => {
    const build = mmdebstrapArgs("build", "/out", "/etc/apt/x.sources");
    expect(build).toContain("--variant=minbase");
    expect(build.slice(-3)).toEqual(["bookworm", "/out", "/etc/apt/x.sources"]);
    const runtime = mmdebstrapArgs("runtime", "/out", undefined);
    expect(runtime).toContain("--variant=extract");
    expect(runtime.find((a) => a.startsWith("--include="))).toContain("libstdc++6");
    expect(runtime.at(-1)).toBe("/out");
  });
});
