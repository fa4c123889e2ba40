import { describe, expect, it } from "vitest";
import { isClusterSecret, recordFromSecret, secretFromRecord } from "./secret.js";
import { ALIAS_ANNOTATION, CREDENTIAL_TYPE_LABEL, type ClusterRecord } from "./types.js";

const x509: ClusterRecord = {
  name: "member-1",
  alias: "beijing-prod",
  endpoint: "https://127.0.0.1:6443",
  caPem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  credential: { type: "X509Certificate", certPem: "CERT", keyPem: "KEY" },
  labels: { region: "cn-beijing", env: "prod" },
};

describe("cluster credential secrets", () => {
  it("round-trips an X509 record through KubeVela's Secret layout", () => {
    const secret = secretFromRecord(x509);
    expect(secret.metadata?.namespace).toBe("vela-system");
    expect(secret.metadata?.labels?.[CREDENTIAL_TYPE_LABEL]).toBe("X509Certificate");
    expect(secret.metadata?.annotations?.[ALIAS_ANNOTATION]).toBe("beijing-prod");
    expect(Object.keys(secret.data ?? {}).sort()).toEqual([
      "ca.crt",
      "endpoint",
      "tls.crt",
      "tls.key",
    ]);
    expect(isClusterSecret(secret)).toBe(true);
    expect(recordFromSecret(secret)).toEqual(x509);
  });

  it("round-trips a token record without CA (TLS verification skipped)", () => {
    const record: ClusterRecord = {
      name: "edge-1",
      endpoint: "https://127.0.0.1:7443",
      credential: { type: "ServiceAccountToken", token: "abc.def.ghi" },
      labels: {},
    };
    const back = recordFromSecret(secretFromRecord(record));
    expect(back).toEqual(record);
    expect(back.caPem).toBeUndefined();
  });

  it("names the cluster and the missing key when a Secret is incomplete", () => {
    const secret = secretFromRecord(x509);
    delete secret.data?.["tls.key"];
    expect(() => recordFromSecret(secret)).toThrow(/member-1.*tls\.key/);
    const noEndpoint = secretFromRecord(x509);
    delete noEndpoint.data?.endpoint;
    expect(() => recordFromSecret(noEndpoint)).toThrow(/member-1.*no endpoint/);
  });

  it("rejects unknown credential types and ignores unrelated Secrets", () => {
    const secret = secretFromRecord(x509);
    secret.metadata!.labels![CREDENTIAL_TYPE_LABEL] = "DynamicToken";
    expect(() => recordFromSecret(secret)).toThrow(/unsupported credential type "DynamicToken"/);
    expect(isClusterSecret({ metadata: { name: "other", labels: {} } })).toBe(false);
  });
});
