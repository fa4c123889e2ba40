import { describe, expect, it } from "vitest";
import { CLUSTERGATEWAYS_PATH, parseGatewayRoute } from "./routes.js";

const p = CLUSTERGATEWAYS_PATH;

describe("parseGatewayRoute", () => {
  it("names the collection, one cluster and its health", () => {
    expect(parseGatewayRoute(p)).toEqual({ kind: "list" });
    expect(parseGatewayRoute(`${p}?limit=5`)).toEqual({ kind: "list" });
    expect(parseGatewayRoute(`${p}/member-1`)).toEqual({ kind: "get", cluster: "member-1" });
    expect(parseGatewayRoute(`${p}/member-1/health`)).toEqual({
      kind: "health",
      cluster: "member-1",
    });
  });

  it("keeps the proxied path and query exactly as encoded", () => {
    expect(
      parseGatewayRoute(`${p}/m/proxy/api/v1/namespaces/a%20b/configmaps?watch=true&x=%2F`),
    ).toEqual({
      kind: "proxy",
      cluster: "m",
      path: "/api/v1/namespaces/a%20b/configmaps?watch=true&x=%2F",
    });
    expect(parseGatewayRoute(`${p}/m/proxy`)).toEqual({ kind: "proxy", cluster: "m", path: "/" });
    expect(parseGatewayRoute(`${p}/m/proxy?timeout=1s`)).toEqual({
      kind: "proxy",
      cluster: "m",
      path: "/?timeout=1s",
    });
    expect(parseGatewayRoute(`${p}/m/proxy/`)).toEqual({ kind: "proxy", cluster: "m", path: "/" });
  });

  it("decodes the cluster name", () => {
    expect(parseGatewayRoute(`${p}/edge%2D1/proxy/version`)).toMatchObject({ cluster: "edge-1" });
  });

  it("rejects everything else", () => {
    for (const url of [
      "/apis",
      "/apis/cluster.core.oam.dev/v1alpha1",
      `${p}x`,
      `${p}/m/proxyx`,
      `${p}/m/status`,
      `${p}/m/health/x`,
      `${p}/%E0%A4%A/proxy`,
      `${p}/a%2Fb/proxy`,
      `${p}//proxy`,
    ]) {
      expect(parseGatewayRoute(url), url).toBeUndefined();
    }
  });
});
