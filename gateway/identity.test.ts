import { describe, expect, it } from "vitest";
import {
  escapeExtraKey,
  impersonationHeaders,
  outboundHeaders,
  type Identity,
} from "./identity.js";

const caller: Identity = {
  user: "system:serviceaccount:team-a:deployer",
  uid: "1234",
  groups: ["system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"],
  extra: { "authentication.kubernetes.io/credential-id": ["JTI=abc"], empty: [] },
  via: "token",
};

const inbound = {
  host: "gateway:9443",
  accept: "application/json",
  authorization: "Bearer caller-token",
  "proxy-authorization": "Basic x",
  "impersonate-user": "system:admin",
  "impersonate-group": "system:masters",
  "impersonate-extra-scopes": "all",
  "impersonate-uid": "0",
  "x-remote-user": "alice",
  "x-remote-group": "system:masters",
  "x-remote-extra-foo": "bar",
  "x-custom-user": "bob",
  "content-type": "application/json",
};

describe("outboundHeaders", () => {
  it("never forwards inbound credentials or identity claims", () => {
    const out = outboundHeaders(inbound);
    expect(out).toEqual({
      host: "gateway:9443",
      accept: "application/json",
      "x-custom-user": "bob",
      "content-type": "application/json",
    });
  });

  it("also drops the hub's configured request-header names", () => {
    const out = outboundHeaders(inbound, { alsoStrip: { names: ["X-Custom-User"], prefixes: [] } });
    expect(out["x-custom-user"]).toBeUndefined();
  });

  it("adds the member's token and, with impersonation on, the caller", () => {
    const out = outboundHeaders(inbound, { bearerToken: "member-token", impersonate: caller });
    expect(out.authorization).toBe("Bearer member-token");
    expect(out["impersonate-user"]).toBe("system:serviceaccount:team-a:deployer");
    expect(out["impersonate-group"]).toEqual(caller.groups);
    expect(out["impersonate-uid"]).toBe("1234");
    expect(out["impersonate-extra-authentication.kubernetes.io%2Fcredential-id"]).toEqual([
      "JTI=abc",
    ]);
    expect(out["impersonate-extra-scopes"]).toBeUndefined();
    expect(out["x-remote-user"]).toBeUndefined();
  });
});

describe("impersonationHeaders", () => {
  it("maps user, groups, uid and extras; skips empty ones", () => {
    expect(
      impersonationHeaders({ user: "alice", groups: [], extra: {}, via: "front-proxy" }),
    ).toEqual({ "impersonate-user": "alice" });
    expect(Object.keys(impersonationHeaders(caller)).sort()).toEqual([
      "impersonate-extra-authentication.kubernetes.io%2Fcredential-id",
      "impersonate-group",
      "impersonate-uid",
      "impersonate-user",
    ]);
  });

  it("escapes extra keys as client-go does", () => {
    expect(escapeExtraKey("example.org/scopes")).toBe("example.org%2Fscopes");
    expect(escapeExtraKey("a%b c")).toBe("a%25b%20c");
    expect(escapeExtraKey("ü")).toBe("%C3%BC");
    expect(escapeExtraKey("plain-key_1")).toBe("plain-key_1");
  });
});
