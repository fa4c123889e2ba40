import { describe, expect, it } from "vitest";
import { buildArgs, extraCaFile, skipInKey } from "./flotilla-image.js";

describe("Flotilla's image build", () => {
  it("keys on what the build copies: not tests, test support or READMEs but the definitions'", () => {
    expect(skipInKey("core/errors.test.ts")).toBe(true);
    expect(skipInKey("core/testing")).toBe(true);
    expect(skipInKey("fleet/README.md")).toBe(true);
    expect(skipInKey("definitions/README.md")).toBe(false);
    expect(skipInKey("core/errors.ts")).toBe(false);
  });

  it("passes both bases as build arguments and the extra CA only when there is one", () => {
    const bases = { build: "localhost/b:1", runtime: "localhost/r:1" };
    const args = buildArgs({ root: "/repo", tag: "localhost/flotilla:1", bases });
    expect(args).toContain("--build-arg=NODE_BASE=localhost/b:1");
    expect(args).toContain("--build-arg=RUNTIME_BASE=localhost/r:1");
    expect(args).toContain("--file=/repo/Dockerfile");
    expect(args.at(-1)).toBe("/repo");
    expect(args.some((a) => a.startsWith("--secret"))).toBe(false);
    const withCa = buildArgs({ root: "/repo", tag: "t", bases, extraCa: "/ca.pem" });
    expect(withCa).toContain("--secret=id=extra-ca,src=/ca.pem");
    expect(extraCaFile({ NODE_EXTRA_CA_CERTS: "/does/not/exist" })).toBeUndefined();
    expect(extraCaFile({})).toBeUndefined();
  });
});
