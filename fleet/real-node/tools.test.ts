import { describe, expect, it } from "vitest";
import { missingTools, toolPath } from "./tools.js";

describe("real node tools", () => {
  it("names every missing tool with its Debian package", () => {
    const have = new Set(["/usr/bin/nsenter", "/usr/sbin/ip"]);
    const message = missingTools((f) => have.has(f));
    expect(message).toContain("socat (socat)");
    expect(message).toContain("runc (runc)");
    expect(message).toContain("iptables (iptables)");
    expect(message).toContain("CNI plugins (containernetworking-plugins)");
    expect(message).not.toContain("nsenter");
  });

  it("finds a tool in the system directories or says which package to install", () => {
    expect(toolPath("socat", (f) => f === "/usr/bin/socat")).toBe("/usr/bin/socat");
    expect(() => toolPath("socat", () => false)).toThrow(/Debian package socat/);
  });
});
