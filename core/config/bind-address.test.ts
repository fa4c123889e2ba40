import { describe, expect, it } from "vitest";
import { formatAddress, parseBindAddress, sameAddress } from "./bind-address.js";

describe("parseBindAddress (controller-runtime's forms)", () => {
  it("takes 0 as off, :port as every interface, host:port and [ipv6]:port", () => {
    expect(parseBindAddress("0")).toEqual({ ok: true, value: "off" });
    expect(parseBindAddress(":8080")).toEqual({ ok: true, value: { host: "", port: 8080 } });
    expect(parseBindAddress("127.0.0.1:0")).toEqual({
      ok: true,
      value: { host: "127.0.0.1", port: 0 },
    });
    expect(parseBindAddress("localhost:9090")).toEqual({
      ok: true,
      value: { host: "localhost", port: 9090 },
    });
    expect(parseBindAddress("[::1]:8081")).toEqual({
      ok: true,
      value: { host: "::1", port: 8081 },
    });
    expect(parseBindAddress("[::]:8081")).toEqual({ ok: true, value: { host: "::", port: 8081 } });
    expect(parseBindAddress("flotilla-hub.vela-system.svc:8080")).toMatchObject({ ok: true });
  });

  it("refuses anything else, saying what is wrong", () => {
    const problem = (text: string) => {
      const parsed = parseBindAddress(text);
      return parsed.ok ? undefined : parsed.problem;
    };
    expect(problem("8080")).toMatch(/^no port; expected "0" \(off\), ":port"/);
    expect(problem("")).toMatch(/^no port/);
    expect(problem(":")).toMatch(/^port "" is not 0-65535/);
    expect(problem(":65536")).toMatch(/^port "65536" is not 0-65535/);
    expect(problem(":http")).toMatch(/^port "http"/);
    expect(problem(":-1")).toMatch(/^port "-1"/);
    expect(problem("::1:8080")).toMatch(/^IPv6 address "::1" must be in brackets, as \[::1\]:port/);
    expect(problem("[nope]:8080")).toMatch(/^"\[nope\]" is not an IPv6 address/);
    expect(problem("my host:8080")).toMatch(/^"my host" is not an IP address or host name/);
    expect(problem("-bad-:8080")).toMatch(/is not an IP address or host name/);
  });
});

describe("sameAddress / formatAddress", () => {
  it("are the same only when both are on, with equal host and port", () => {
    expect(sameAddress({ host: "", port: 8080 }, { host: "", port: 8080 })).toBe(true);
    expect(sameAddress({ host: "", port: 8080 }, { host: "", port: 8081 })).toBe(false);
    expect(sameAddress({ host: "", port: 8080 }, { host: "127.0.0.1", port: 8080 })).toBe(false);
    expect(sameAddress("off", "off")).toBe(false);
  });

  it("brackets IPv6 hosts", () => {
    expect(formatAddress({ host: "::1", port: 1 })).toBe("[::1]:1");
    expect(formatAddress({ host: "127.0.0.1", port: 2 })).toBe("127.0.0.1:2");
    expect(formatAddress({ host: "", port: 3 })).toBe(":3");
  });
});
