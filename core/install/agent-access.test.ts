import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import { removeAgentAccess } from "./agent-access.js";

describe("removeAgentAccess", () => {
  it("refuses a cluster name the installer would not provision, before calling the hub", async () => {
    // Nothing listens on port 1: a request would fail with a connection error instead.
    const hub = new KubeConfig();
    hub.loadFromOptions({
      clusters: [{ name: "h", server: "http://127.0.0.1:1" }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "h", cluster: "h", user: "u" }],
      currentContext: "h",
    });
    const bad = removeAgentAccess({ hub, cluster: "Member_1", timeoutMs: 1_000 });
    await expect(bad).rejects.toThrow(
      new InvalidInputError(
        'invalid cluster name "Member_1": ' +
          "must consist of lower case letters, digits, '-' and '.', and start and end with a letter or digit",
      ),
    );
    const local = removeAgentAccess({ hub, cluster: "local", timeoutMs: 1_000 });
    await expect(local).rejects.toThrow(/reserved for the hub itself/);
  });
});
