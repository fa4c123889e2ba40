import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { UnauthenticatedError, UpstreamUnavailableError } from "../../core/errors.js";
import { systemClock, type Clock } from "../deps.js";
import { createTokenVerifier, identityFromClaims } from "./token.js";

const issuer = "https://hub.example:6443";
const audience = "flotilla-gateway";
const now = 1_800_000_000_000;

type Key = Awaited<ReturnType<typeof generateKeyPair>>;
let hubKey: Key;
let otherKey: Key;
let jwks: JSONWebKeySet;

const claims = (ns = "team-a", name = "deployer"): JWTPayload => ({
  sub: `system:serviceaccount:${ns}:${name}`,
  jti: "token-1",
  "kubernetes.io": { namespace: ns, serviceaccount: { name, uid: "sa-uid" } },
});

async function sign(
  key: Key,
  kid: string,
  payload: JWTPayload = claims(),
  options: { aud?: string; iss?: string; exp?: number } = {},
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? audience)
    .setIssuedAt(now / 1000 - 60)
    .setExpirationTime(options.exp ?? now / 1000 + 600)
    .sign(key.privateKey);
}

beforeAll(async () => {
  hubKey = await generateKeyPair("ES256", { extractable: true });
  otherKey = await generateKeyPair("ES256", { extractable: true });
  jwks = {
    keys: [{ ...(await exportJWK(hubKey.publicKey)), kid: "hub", alg: "ES256", use: "sig" }],
  };
});

const at = (now: () => number): Clock => ({ ...systemClock, now });

function verifier(options: { clock?: () => number; fetches?: { count: number } } = {}) {
  const fetches = options.fetches ?? { count: 0 };
  return createTokenVerifier({
    issuer,
    audience,
    clock: at(options.clock ?? (() => now)),
    minRefreshIntervalMs: 30_000,
    fetchJwks: () => {
      fetches.count++;
      return Promise.resolve(jwks);
    },
  });
}

describe("createTokenVerifier", () => {
  it("accepts a ServiceAccount token of the hub and returns kube's identity", async () => {
    const identity = await verifier().verify(await sign(hubKey, "hub"));
    expect(identity).toEqual({
      user: "system:serviceaccount:team-a:deployer",
      uid: "sa-uid",
      groups: ["system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"],
      extra: { "authentication.kubernetes.io/credential-id": ["JTI=token-1"] },
      via: "token",
    });
  });

  it.each([
    ["forged (signed by another key, same kid)", () => sign(otherKey, "hub")],
    ["wrong audience", () => sign(hubKey, "hub", claims(), { aud: "https://kubernetes" })],
    ["wrong issuer", () => sign(hubKey, "hub", claims(), { iss: "https://elsewhere" })],
    ["not a JWT", () => Promise.resolve("abc.def")],
    ["not a ServiceAccount", () => sign(hubKey, "hub", { sub: "alice" })],
  ])("rejects a token that is %s", async (_what, make) => {
    await expect(verifier().verify(await make())).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("rejects an expired token by the injected clock", async () => {
    const token = await sign(hubKey, "hub");
    await expect(verifier({ clock: () => now + 601_000 }).verify(token)).rejects.toThrow(
      /ERR_JWT_EXPIRED/,
    );
    await expect(verifier({ clock: () => now + 599_000 }).verify(token)).resolves.toBeDefined();
  });

  it("refreshes keys on an unknown kid, at most once per interval", async () => {
    let time = now;
    const fetches = { count: 0 };
    const v = verifier({ clock: () => time, fetches });
    await v.verify(await sign(hubKey, "hub"));
    expect(fetches.count).toBe(1);
    const unknown = await sign(otherKey, "rotated");
    await expect(v.verify(unknown)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(fetches.count).toBe(1); // within the interval: no refresh
    time += 30_000;
    await expect(v.verify(unknown)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(fetches.count).toBe(2);
    // The hub rotated: the new key is picked up by the refresh an unknown kid triggers.
    jwks = { keys: [...jwks.keys, { ...(await exportJWK(otherKey.publicKey)), kid: "rotated" }] };
    time += 30_000;
    await expect(v.verify(unknown)).resolves.toHaveProperty("via", "token");
    expect(fetches.count).toBe(3);
  });

  it("reuses a verified identity for the TTL, never past the token's expiry", async () => {
    let time = now;
    const keys: JSONWebKeySet = { keys: [...jwks.keys] };
    const v = createTokenVerifier({
      issuer,
      audience,
      clock: at(() => time),
      maxKeyAgeMs: 1_000,
      fetchJwks: () => Promise.resolve(keys),
    });
    const token = await sign(hubKey, "hub");
    await v.verify(token);
    keys.keys = []; // the hub drops the key: a fresh signature check would now fail
    time += 5_000;
    await expect(v.verify(token)).resolves.toHaveProperty("via", "token");
    time += 5_000;
    await expect(v.verify(token)).rejects.toBeInstanceOf(UnauthenticatedError);

    const shortLived = await sign(hubKey, "hub", claims(), { exp: now / 1000 + 12 });
    keys.keys = [...jwks.keys];
    time = now + 11_500; // keys fetched at +10 s are stale again
    await v.verify(shortLived);
    keys.keys = [];
    time = now + 12_500; // within 10 s of the check, but past exp
    await expect(v.verify(shortLived)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it("is 503, not 401, when the hub's keys cannot be fetched at all", async () => {
    const v = createTokenVerifier({
      issuer,
      audience,
      clock: at(() => now),
      fetchJwks: () => Promise.reject(new Error("connection refused")),
    });
    await expect(v.verify(await sign(hubKey, "hub"))).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});

describe("identityFromClaims", () => {
  it("adds the bound pod and node as extras", () => {
    const identity = identityFromClaims({
      ...claims("ns", "sa"),
      "kubernetes.io": {
        namespace: "ns",
        serviceaccount: { name: "sa" },
        pod: { name: "p", uid: "pu" },
        node: { name: "n", uid: "nu" },
      },
    });
    expect(identity.extra).toMatchObject({
      "authentication.kubernetes.io/pod-name": ["p"],
      "authentication.kubernetes.io/pod-uid": ["pu"],
      "authentication.kubernetes.io/node-name": ["n"],
      "authentication.kubernetes.io/node-uid": ["nu"],
    });
    expect(identity.uid).toBeUndefined();
  });

  it("refuses a subject that does not match the ServiceAccount claim", () => {
    expect(() =>
      identityFromClaims({ ...claims("ns", "sa"), sub: "system:serviceaccount:ns:other" }),
    ).toThrow(UnauthenticatedError);
  });
});
