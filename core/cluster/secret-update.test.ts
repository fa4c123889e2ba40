import { describe, expect, it } from "vitest";
import { recordFromSecret, secretFromRecord, type SecretObject } from "./secret.js";
import { renamedSecret, updatedSecret } from "./secret-update.js";
import { ALIAS_ANNOTATION, CREDENTIAL_TYPE_LABEL, type ClusterRecord } from "./types.js";

const b64 = (s: string): string => Buffer.from(s).toString("base64");

/** A Secret as `vela cluster join` writes it, plus server-set fields and KubeVela extras. */
const velaSecret: SecretObject = {
  ...secretFromRecord({
    name: "m1",
    alias: "old",
    endpoint: "https://10.0.0.1:6443",
    credential: { type: "ServiceAccountToken", token: "t" },
    labels: { region: "eu", tier: "prod" },
  }),
  metadata: {
    name: "m1",
    namespace: "vela-system",
    resourceVersion: "42",
    labels: { [CREDENTIAL_TYPE_LABEL]: "ServiceAccountToken", region: "eu", tier: "prod" },
    annotations: { [ALIAS_ANNOTATION]: "old", "example.com/note": "keep me" },
  },
};
velaSecret.data = { ...velaSecret.data, "proxy-url": b64("socks5://proxy:1080") };

describe("updating a credential Secret", () => {
  it("replaces managed fields and keeps everything else", () => {
    const record = recordFromSecret(velaSecret);
    const next: ClusterRecord = {
      name: record.name,
      endpoint: record.endpoint,
      credential: { type: "X509Certificate", certPem: "C", keyPem: "K" },
      labels: { region: "us" },
    };
    const secret = updatedSecret(velaSecret, next);
    expect(secret.metadata?.resourceVersion).toBe("42");
    expect(secret.metadata?.annotations).toEqual({ "example.com/note": "keep me" });
    expect(secret.metadata?.labels).toEqual({
      region: "us",
      [CREDENTIAL_TYPE_LABEL]: "X509Certificate",
      "cluster.core.oam.dev/cluster-endpoint-type": "Const",
    });
    expect(Object.keys(secret.data ?? {}).sort()).toEqual([
      "endpoint",
      "proxy-url",
      "tls.crt",
      "tls.key",
    ]);
    expect(recordFromSecret(secret)).toEqual(next);
  });

  it("copies a Secret under a new name without server-set metadata", () => {
    const copy = renamedSecret(velaSecret, "m2");
    expect(copy.metadata).toEqual({
      name: "m2",
      namespace: "vela-system",
      labels: velaSecret.metadata?.labels,
      annotations: velaSecret.metadata?.annotations,
    });
    expect(copy.data).toEqual(velaSecret.data);
    expect(copy.type).toBe("Opaque");
  });
});
