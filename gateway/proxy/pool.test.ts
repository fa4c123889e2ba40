import { describe, expect, it } from "vitest";
import type { ClusterRecord } from "../../core/cluster/types.js";
import { silentLogger } from "../deps.js";
import { agentOptions, createProxyPool, recordFingerprint } from "./pool.js";

const record: ClusterRecord = {
  name: "m",
  endpoint: "https://127.0.0.1:6443",
  caPem: "CA",
  credential: { type: "X509Certificate", certPem: "CERT", keyPem: "KEY" },
  labels: {},
};

describe("the proxy pool", () => {
  it("reuses a cluster's target while its record is unchanged", () => {
    const pool = createProxyPool(silentLogger);
    const first = pool.targetFor(record);
    expect(pool.targetFor({ ...record, labels: { changed: "labels only" } })).toBe(first);
    pool.close();
  });

  it("rebuilds the target when endpoint, CA or credential change", () => {
    const pool = createProxyPool(silentLogger);
    const first = pool.targetFor(record);
    let closed = false;
    const destroy = first.agent.destroy.bind(first.agent);
    first.agent.destroy = () => {
      closed = true;
      destroy();
    };
    const rotated = pool.targetFor({ ...record, caPem: "NEW CA" });
    expect(rotated).not.toBe(first);
    expect(closed).toBe(true); // its sockets (and the old credential) are gone
    const token = pool.targetFor({
      ...record,
      credential: { type: "ServiceAccountToken", token: "t" },
    });
    expect(token.bearerToken).toBe("t");
    pool.forget("m");
    expect(pool.targetFor(record)).not.toBe(token);
    pool.close();
  });

  it("fingerprints what a target is built from", () => {
    expect(recordFingerprint(record)).toBe(recordFingerprint({ ...record, alias: "x" }));
    expect(recordFingerprint(record)).not.toBe(
      recordFingerprint({ ...record, endpoint: "https://x" }),
    );
  });

  it("trusts the record's CA, presents its certificate, and skips verification without a CA", () => {
    expect(agentOptions(record)).toMatchObject({
      keepAlive: true,
      ca: "CA",
      cert: "CERT",
      key: "KEY",
      rejectUnauthorized: true,
    });
    const insecure: ClusterRecord = {
      name: record.name,
      endpoint: record.endpoint,
      credential: record.credential,
      labels: {},
    };
    expect(agentOptions(insecure)).toMatchObject({ rejectUnauthorized: false });
    expect(agentOptions(insecure).ca).toBeUndefined();
  });
});
