import { describe, expect, it } from "vitest";
import { localClusterRecord } from "./local-cluster.js";

const server = "https://127.0.0.1:6443";

describe("localClusterRecord", () => {
  it("is the hub with the gateway's certificate and the hub's CA", () => {
    const credential = { type: "X509Certificate", certPem: "C", keyPem: "K" } as const;
    expect(localClusterRecord({ server, caPem: "CA", insecure: false, credential })).toEqual({
      name: "local",
      endpoint: server,
      caPem: "CA",
      credential,
      labels: {},
    });
  });

  it("reads a token file once, and leaves the CA out when verification is skipped", () => {
    const reads: string[] = [];
    const record = localClusterRecord(
      {
        server,
        caPem: "CA",
        insecure: true,
        credential: { type: "ServiceAccountTokenFile", file: "/sa/token" },
      },
      (file) => (reads.push(file), "tok\n"),
    );
    expect(record).toEqual({
      name: "local",
      endpoint: server,
      credential: { type: "ServiceAccountToken", token: "tok" },
      labels: {},
    });
    expect(reads).toEqual(["/sa/token"]);
  });

  it("is left out without a credential (or with an empty token file)", () => {
    expect(localClusterRecord({ server, insecure: false })).toBeUndefined();
    const file = { type: "ServiceAccountTokenFile", file: "/sa/token" } as const;
    expect(localClusterRecord({ server, insecure: false, credential: file }, () => "")).toBe(
      undefined,
    );
  });
});
