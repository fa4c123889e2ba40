// verifyFrontProxyPeer is tested with real certificates in test/gateway/front-proxy-peer.test.ts.
import { describe, expect, it } from "vitest";
import {
  identityFromHeaders,
  requestHeaderConfigFromData,
  requestHeaderNames,
  type RequestHeaderConfig,
} from "./request-header.js";

// The data of kube-system/extension-apiserver-authentication as kube-apiserver writes it.
const data = {
  "client-ca-file": "unused",
  "requestheader-client-ca-file": "PEM",
  "requestheader-allowed-names": '["front-proxy-client"]',
  "requestheader-username-headers": '["X-Remote-User"]',
  "requestheader-group-headers": '["X-Remote-Group"]',
  "requestheader-extra-headers-prefix": '["X-Remote-Extra-"]',
};

describe("requestHeaderConfigFromData", () => {
  it("reads the aggregation layer's settings", () => {
    expect(requestHeaderConfigFromData(data)).toEqual({
      clientCaPem: "PEM",
      allowedNames: ["front-proxy-client"],
      usernameHeaders: ["X-Remote-User"],
      uidHeaders: [],
      groupHeaders: ["X-Remote-Group"],
      extraHeaderPrefixes: ["X-Remote-Extra-"],
    });
  });

  it("is undefined without a request-header CA", () => {
    expect(requestHeaderConfigFromData({ "client-ca-file": "x" })).toBeUndefined();
    expect(requestHeaderConfigFromData(undefined)).toBeUndefined();
  });
});

describe("identityFromHeaders", () => {
  const config = requestHeaderConfigFromData(data) as RequestHeaderConfig;

  it("names the caller from X-Remote-* (one value per header line)", () => {
    const identity = identityFromHeaders(config, {
      "x-remote-user": ["alice"],
      "x-remote-group": ["system:masters", "system:authenticated"],
      "x-remote-extra-scopes": ["a", "b"],
      "x-remote-extra-example.org%2fteam": ["blue"],
      authorization: ["Bearer ignored"],
    });
    expect(identity).toEqual({
      user: "alice",
      groups: ["system:masters", "system:authenticated"],
      extra: { scopes: ["a", "b"], "example.org/team": ["blue"] },
      via: "front-proxy",
    });
  });

  it("names nobody without a user header", () => {
    expect(identityFromHeaders(config, { "x-remote-group": ["g"] })).toBeUndefined();
  });

  it("lists the configured names for stripping", () => {
    expect(requestHeaderNames(config)).toEqual({
      names: ["X-Remote-User", "X-Remote-Group"],
      prefixes: ["X-Remote-Extra-"],
    });
  });
});
