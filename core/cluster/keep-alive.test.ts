import https from "node:https";
import { HttpMethod, RequestContext } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { KeepAliveKubeConfig } from "./keep-alive.js";

function config(proxyUrl?: string): KeepAliveKubeConfig {
  const kc = new KeepAliveKubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: "a", server: "https://127.0.0.1:6443", skipTLSVerify: false, proxyUrl },
      { name: "b", server: "https://127.0.0.1:7443", skipTLSVerify: false },
    ],
    users: [
      { name: "u", token: "t1" },
      { name: "v", token: "t2" },
    ],
    contexts: [
      { name: "a-u", cluster: "a", user: "u" },
      { name: "b-v", cluster: "b", user: "v" },
    ],
    currentContext: "a-u",
  });
  return kc;
}

async function agentOf(kc: KeepAliveKubeConfig): Promise<RequestContext> {
  const context = new RequestContext("https://127.0.0.1:6443/api", HttpMethod.GET);
  await kc.applySecurityAuthentication(context);
  return context;
}

describe("KeepAliveKubeConfig", () => {
  it("gives every request of one cluster and user the same keep-alive agent, headers per request", async () => {
    const kc = config();
    const first = await agentOf(kc);
    const second = await agentOf(kc);
    expect(first.getAgent()).toBe(second.getAgent());
    expect(first.getAgent()).toBeInstanceOf(https.Agent);
    expect((first.getAgent() as https.Agent & { keepAlive: boolean }).keepAlive).toBe(true);
    expect(second.getHeaders()["Authorization"]).toBe("Bearer t1");
  });

  it("keeps separate agents per cluster and user", async () => {
    const kc = config();
    const a = (await agentOf(kc)).getAgent();
    kc.setCurrentContext("b-v");
    const b = await agentOf(kc);
    expect(b.getAgent()).not.toBe(a);
    expect(b.getHeaders()["Authorization"]).toBe("Bearer t2");
  });

  it("leaves proxied clusters on client-node's own per-request agents", async () => {
    const kc = config("http://127.0.0.1:3128");
    const first = (await agentOf(kc)).getAgent();
    const second = (await agentOf(kc)).getAgent();
    expect(first).not.toBe(second);
    expect(first?.constructor).not.toBe(https.Agent);
  });

  it("copies another KubeConfig and opens new connections after closeIdle", async () => {
    const kc = KeepAliveKubeConfig.from(config());
    expect(kc.getCurrentCluster()?.server).toBe("https://127.0.0.1:6443");
    const before = (await agentOf(kc)).getAgent();
    kc.closeIdle();
    expect((await agentOf(kc)).getAgent()).not.toBe(before);
  });
});
