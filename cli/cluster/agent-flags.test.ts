import { describe, expect, it } from "vitest";
import {
  agentPlan,
  DEFAULT_AGENT_TOKEN_TTL,
  joinAgentPlan,
  stdoutTaken,
  wantsBootstrap,
  wantsWorkingToken,
} from "./agent-flags.js";

describe("the agent flags as a plan", () => {
  it("prints the kubeconfig on stdout with a 24 h token unless told otherwise", () => {
    expect(agentPlan({})).toEqual({ tokenExpirationSeconds: 86_400, secret: false, stdout: true });
    expect(joinAgentPlan({ agent: true })).toEqual(agentPlan({}));
    expect(DEFAULT_AGENT_TOKEN_TTL).toBe("24h");
  });

  it("writes a file and/or a member Secret instead of stdout", () => {
    expect(agentPlan({ agentKubeconfig: "a.kubeconfig" })).toEqual({
      tokenExpirationSeconds: 86_400,
      file: "a.kubeconfig",
      secret: false,
      stdout: false,
    });
    expect(agentPlan({ agentSecret: true, agentKubeconfig: "a" })).toMatchObject({
      file: "a",
      secret: true,
      stdout: false,
    });
  });

  it("reads the token lifetime as a Go duration, at least 10 minutes", () => {
    expect(agentPlan({ agentTokenTtl: "1h30m" }).tokenExpirationSeconds).toBe(5_400);
    expect(agentPlan({ agentTokenTtl: "10m" }).tokenExpirationSeconds).toBe(600);
    expect(() => agentPlan({ agentTokenTtl: "5m" })).toThrow(
      /^--agent-token-ttl 5m: a token lifetime must be whole seconds and at least 10m/,
    );
    expect(() => agentPlan({ agentTokenTtl: "10m500ms" })).toThrow(/whole seconds/);
    expect(() => agentPlan({ agentTokenTtl: "a day" })).toThrow(
      /invalid --agent-token-ttl "a day"/,
    );
    expect(() => agentPlan({ agentKubeconfig: "" })).toThrow("--agent-kubeconfig: the file name");
  });

  it("has no plan without --agent, and refuses an agent flag without it", () => {
    expect(joinAgentPlan({})).toBeUndefined();
    expect(() => joinAgentPlan({ agentSecret: true })).toThrow("--agent-secret needs --agent");
    expect(() => joinAgentPlan({ agentKubeconfig: "f" })).toThrow(
      "--agent-kubeconfig needs --agent",
    );
    expect(() => joinAgentPlan({ agentTokenTtl: "1h" })).toThrow("--agent-token-ttl needs --agent");
  });

  it("takes the hub's address as the agent reaches it, only as an https URL", () => {
    expect(agentPlan({ agentHubServer: "https://10.255.255.2:6443" }).hubServer).toBe(
      "https://10.255.255.2:6443",
    );
    expect(agentPlan({}).hubServer).toBeUndefined();
    for (const bad of ["http://hub:6443", "hub:6443", "https://"])
      expect(() => agentPlan({ agentHubServer: bad }), bad).toThrow(
        /^--agent-hub-server: must be an https URL/,
      );
    expect(() => joinAgentPlan({ agentHubServer: "https://h" })).toThrow(
      "--agent-hub-server needs --agent",
    );
  });

  it("hands out the bootstrap kubeconfig as chart values and/or a member Secret", () => {
    const values = agentPlan({ agentValues: "member-1.values.yaml" });
    expect(values).toEqual({
      tokenExpirationSeconds: 86_400,
      secret: false,
      values: "member-1.values.yaml",
      stdout: false,
    });
    expect(wantsBootstrap(values)).toBe(true);
    expect(wantsWorkingToken(values)).toBe(false);
    expect(stdoutTaken(values)).toBe(false);
    const secret = agentPlan({ agentSecret: true });
    expect([wantsBootstrap(secret), wantsWorkingToken(secret)]).toEqual([true, false]);
    expect(stdoutTaken(agentPlan({ agentValues: "-" }))).toBe(true);
    const both = agentPlan({ agentValues: "v", agentKubeconfig: "k", agentTokenTtl: "1h" });
    expect([wantsBootstrap(both), wantsWorkingToken(both)]).toEqual([true, true]);
    expect(wantsBootstrap(agentPlan({}))).toBe(false);
    expect(() => agentPlan({ agentValues: "" })).toThrow("--agent-values: the file name is empty");
    expect(() => joinAgentPlan({ agentValues: "-" })).toThrow("--agent-values needs --agent");
  });

  it("refuses a token lifetime when only the bootstrap kubeconfig is handed out", () => {
    expect(() => agentPlan({ agentSecret: true, agentTokenTtl: "1h" })).toThrow(
      /^--agent-token-ttl: only the kubeconfig of --agent-kubeconfig .* --hub-token-lifetime/,
    );
    expect(() => agentPlan({ agentValues: "-", agentTokenTtl: "1h" })).toThrow(/--agent-token-ttl/);
  });
});
