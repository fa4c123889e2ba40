import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { bearerOf, requestUrl } from "./client.js";

describe("requestUrl", () => {
  it("joins server, path and the defined query values", () => {
    const url = requestUrl("https://127.0.0.1:6443", {
      path: "/api/v1/namespaces/vela-system/secrets",
      query: { watch: true, labelSelector: "a=b,c", resourceVersion: "12", limit: undefined },
    });
    expect(url.toString()).toBe(
      "https://127.0.0.1:6443/api/v1/namespaces/vela-system/secrets?watch=true&labelSelector=a%3Db%2Cc&resourceVersion=12",
    );
  });

  it("keeps a server's path prefix", () => {
    expect(requestUrl("https://h/k8s/clusters/c1", { path: "/api" }).pathname).toBe(
      "/k8s/clusters/c1/api",
    );
  });
});

describe("bearerOf", () => {
  it("sends nothing for certificates and anonymous users, a static token as it is", () => {
    expect(bearerOf({ server: "https://h", insecure: false })()).toBeUndefined();
    const cert = { type: "X509Certificate", certPem: "C", keyPem: "K" } as const;
    expect(bearerOf({ server: "https://h", insecure: false, credential: cert })()).toBeUndefined();
    const token = { type: "ServiceAccountToken", token: "abc" } as const;
    expect(bearerOf({ server: "https://h", insecure: false, credential: token })()).toBe(
      "Bearer abc",
    );
  });

  it("reads a token file again once its content is older than the TTL", async () => {
    const clock = new FakeClock(0);
    let content = "first\n";
    let reads = 0;
    const bearer = bearerOf(
      {
        server: "https://h",
        insecure: false,
        credential: { type: "ServiceAccountTokenFile", file: "/sa/token" },
      },
      {
        clock,
        tokenFileTtlMs: 1_000,
        readFile: (file) => {
          expect(file).toBe("/sa/token");
          reads++;
          return content;
        },
      },
    );
    expect(bearer()).toBe("Bearer first");
    content = "second";
    await clock.advance(999);
    expect(bearer()).toBe("Bearer first");
    await clock.advance(1);
    expect(bearer()).toBe("Bearer second");
    expect(reads).toBe(2);
  });
});
