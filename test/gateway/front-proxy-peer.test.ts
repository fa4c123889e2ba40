/**
 * The front-proxy certificate check of the gateway's aggregated path, with real certificates
 * made by openssl (the fleet's PKI helper): only a client certificate from the request-header
 * CA with an allowed common name, within its validity, is trusted.
 */
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificates, verifyFrontProxyPeer } from "../../gateway/authn/request-header.js";
import { issueCertificate, type KeyPair } from "../../fleet/pki.js";

describe("verifyFrontProxyPeer", () => {
  let dir: string;
  let ca: KeyPair;
  const certs: Record<string, X509Certificate> = {};
  let now: Date;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "gw-rh-"));
    ca = await issueCertificate(dir, "ca", { commonName: "front-proxy-ca", kind: "ca" });
    const other = await issueCertificate(dir, "other-ca", { commonName: "other", kind: "ca" });
    const issue = async (name: string, cn: string, kind: "client" | "server", by: KeyPair) => {
      certs[name] = new X509Certificate(
        (await issueCertificate(dir, name, { commonName: cn, kind }, by)).cert,
      );
    };
    await Promise.all([
      issue("good", "front-proxy-client", "client", ca),
      issue("renamed", "someone-else", "client", ca),
      issue("foreign", "front-proxy-client", "client", other),
      issue("server", "front-proxy-client", "server", ca),
    ]);
    // After issuing: openssl starts validity at the second the certificate was made.
    now = new Date(Date.now() + 1_000);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts the allowed client certificate the CA signed", () => {
    const cas = parseCertificates(ca.cert + ca.cert);
    expect(cas).toHaveLength(2);
    expect(verifyFrontProxyPeer(certs.good, cas, ["front-proxy-client"], now)).toBe(
      "front-proxy-client",
    );
  });

  it("refuses other names, other CAs, server certificates, expired ones and none", () => {
    const cas = parseCertificates(ca.cert);
    const allowed = ["front-proxy-client"];
    expect(verifyFrontProxyPeer(certs.renamed, cas, allowed, now)).toBeUndefined();
    expect(verifyFrontProxyPeer(certs.foreign, cas, allowed, now)).toBeUndefined();
    expect(verifyFrontProxyPeer(certs.server, cas, allowed, now)).toBeUndefined();
    const later = new Date(now.getTime() + 11 * 365 * 86_400_000);
    expect(verifyFrontProxyPeer(certs.good, cas, allowed, later)).toBeUndefined();
    expect(verifyFrontProxyPeer(undefined, cas, allowed, now)).toBeUndefined();
  });

  it("accepts any name the CA signed when no names are configured", () => {
    expect(verifyFrontProxyPeer(certs.renamed, parseCertificates(ca.cert), [], now)).toBe(
      "someone-else",
    );
  });
});
