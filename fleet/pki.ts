/**
 * Certificates and keys for one local cluster, made with the `openssl` command (EC P-256,
 * which kube-apiserver accepts everywhere and which is quick to generate).
 *
 * The pure part, `certificateConfig`, writes the OpenSSL config that fixes a certificate's
 * subject and extensions; `createClusterPki` runs openssl and returns file paths and PEM text.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import {
  apiRelayAddress,
  fleetRelayAddress,
  hubRelayAddress,
  kubernetesServiceIp,
} from "./real-node/plan.js";

const run = promisify(execFile);

export interface CertificateSpec {
  readonly commonName: string;
  readonly organizations?: readonly string[];
  readonly kind: "ca" | "server" | "client";
  /** Subject alternative names for server certificates, e.g. `IP:127.0.0.1`. */
  readonly altNames?: readonly string[];
}

/** The OpenSSL request config for one certificate (pure). */
export function certificateConfig(spec: CertificateSpec): string {
  const subject = [`CN = ${spec.commonName}`, ...(spec.organizations ?? []).map((o) => `O = ${o}`)];
  const ext =
    spec.kind === "ca"
      ? ["basicConstraints = critical, CA:TRUE", "keyUsage = critical, keyCertSign, cRLSign"]
      : [
          "basicConstraints = critical, CA:FALSE",
          "keyUsage = critical, digitalSignature, keyEncipherment",
          `extendedKeyUsage = ${spec.kind === "server" ? "serverAuth" : "clientAuth"}`,
          ...(spec.altNames?.length ? [`subjectAltName = ${spec.altNames.join(", ")}`] : []),
        ];
  return [
    "[req]",
    "distinguished_name = dn",
    "prompt = no",
    "x509_extensions = ext",
    "[dn]",
    ...subject,
    "[ext]",
    ...ext,
    "",
  ].join("\n");
}

export interface KeyPair {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/** Issues a certificate into `dir/<name>.crt|.key`, signed by `ca` (self-signed when absent). */
export async function issueCertificate(
  dir: string,
  name: string,
  spec: CertificateSpec,
  ca?: KeyPair,
): Promise<KeyPair> {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  const configFile = path.join(dir, `${name}.cnf`);
  await writeFile(configFile, certificateConfig(spec));
  const args = ["req", "-x509", "-new", "-nodes", "-config", configFile, "-days", "3650"];
  args.push("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
  args.push("-keyout", keyFile, "-out", certFile);
  if (ca !== undefined) args.push("-CA", ca.certFile, "-CAkey", ca.keyFile);
  await openssl(args);
  const [cert, key] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  return { certFile, keyFile, cert, key };
}

export interface ClusterPki {
  readonly dir: string;
  readonly ca: KeyPair;
  readonly apiserver: KeyPair;
  readonly admin: KeyPair;
  readonly controllerManager: KeyPair;
  readonly scheduler: KeyPair;
  /** The API server's client certificate towards kubelets. */
  readonly kubeletClient: KeyPair;
  /** Service-account token signing key (private) and its public key file. */
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  /** Front-proxy CA and client certificate for the aggregation layer, when enabled. */
  readonly frontProxy?: { readonly ca: KeyPair; readonly client: KeyPair };
}

/** Creates every certificate a cluster needs under `dir`. */
/**
 * `fleetIndex` is the cluster's place in the fleet: its serving certificate also covers its
 * relay address inside every real node (`fleetRelayAddress`), where in-cluster programs such as
 * the gateway reach it.
 */
export async function createClusterPki(
  dir: string,
  aggregation: boolean,
  fleetIndex?: number,
): Promise<ClusterPki> {
  await mkdir(dir, { recursive: true });
  const ca = await issueCertificate(dir, "ca", { commonName: "flotilla-fleet-ca", kind: "ca" });
  const client = (name: string, cn: string, orgs?: string[]): Promise<KeyPair> =>
    issueCertificate(dir, name, { commonName: cn, organizations: orgs, kind: "client" }, ca);
  const [apiserver, admin, controllerManager, scheduler, kubeletClient] = await Promise.all([
    issueCertificate(dir, "apiserver", serverSpec(fleetIndex), ca),
    client("admin", "flotilla-admin", ["system:masters"]),
    client("controller-manager", "system:kube-controller-manager"),
    client("scheduler", "system:kube-scheduler"),
    // the API server's identity towards kubelets (logs, exec, port-forward)
    client("apiserver-kubelet-client", "kube-apiserver-kubelet-client", ["system:masters"]),
  ]);
  const serviceAccountKey = path.join(dir, "sa.key");
  const serviceAccountPub = path.join(dir, "sa.pub");
  await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", serviceAccountKey]);
  await openssl(["ec", "-in", serviceAccountKey, "-pubout", "-out", serviceAccountPub]);
  const frontProxy = aggregation ? await createFrontProxy(dir) : undefined;
  const base = { dir, ca, apiserver, admin, controllerManager, scheduler, kubeletClient };
  return { ...base, serviceAccountKey, serviceAccountPub, frontProxy };
}

/** The API server's certificate (pure). */
export const serverSpec = (fleetIndex?: number): CertificateSpec => ({
  commonName: "kube-apiserver",
  kind: "server",
  altNames: [
    "IP:127.0.0.1",
    "DNS:localhost",
    "DNS:kubernetes",
    "DNS:kubernetes.default",
    "DNS:kubernetes.default.svc",
    // in-cluster clients on real nodes: the `kubernetes` Service, and the relays that carry
    // it into each node's namespace (real-node/plan.ts)
    `IP:${kubernetesServiceIp}`,
    `IP:${apiRelayAddress}`,
    `IP:${hubRelayAddress}`,
    ...(fleetIndex === undefined ? [] : [`IP:${fleetRelayAddress(fleetIndex)}`]),
  ],
});

async function createFrontProxy(dir: string): Promise<ClusterPki["frontProxy"]> {
  const ca = await issueCertificate(dir, "front-proxy-ca", {
    commonName: "flotilla-front-proxy-ca",
    kind: "ca",
  });
  const client = await issueCertificate(
    dir,
    "front-proxy-client",
    { commonName: "front-proxy-client", kind: "client" },
    ca,
  );
  return { ca, client };
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") {
      throw new Error(
        "openssl is not on PATH; the fleet needs it to make certificates (Debian package openssl)",
      );
    }
    throw new Error(`openssl ${args[0]} failed: ${(failure.stderr ?? String(error)).trim()}`);
  }
}

export interface ServingCertificate {
  /** The new CA that signed `serving` (what clients put in their trust bundle or `caBundle`). */
  readonly ca: KeyPair;
  readonly serving: KeyPair;
}

/**
 * Issues a server certificate with the given subject alternative names (`DNS:…`, `IP:…`)
 * from a new CA, into `dir/<name>-ca.crt|.key` and `dir/<name>.crt|.key`. For servers the
 * fleet's clusters call, such as an aggregated API server, whose certificate the hub verifies
 * for `<service>.<namespace>.svc`.
 */
export async function issueServingCertificate(
  dir: string,
  name: string,
  altNames: readonly string[],
): Promise<ServingCertificate> {
  await mkdir(dir, { recursive: true });
  const ca = await issueCertificate(dir, `${name}-ca`, { commonName: `${name}-ca`, kind: "ca" });
  const serving = await issueCertificate(
    dir,
    name,
    { commonName: name, kind: "server", altNames },
    ca,
  );
  return { ca, serving };
}
