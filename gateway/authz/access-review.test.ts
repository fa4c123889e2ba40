import { describe, expect, it } from "vitest";
import { ForbiddenError, UpstreamUnavailableError } from "../../core/errors.js";
import { systemClock } from "../deps.js";
import type { Identity } from "../identity.js";
import { accessOf } from "../pipeline.js";
import {
  accessReviewSpec,
  createAccessReviewAuthorizer,
  type AccessReviewSpec,
} from "./access-review.js";

const caller: Identity = {
  user: "system:serviceaccount:ns:sa",
  groups: ["system:serviceaccounts", "system:authenticated"],
  extra: { "authentication.kubernetes.io/credential-id": ["JTI=1"] },
  via: "token",
};
const gw = "/apis/cluster.core.oam.dev/v1alpha1/clustergateways";

describe("SubjectAccessReview verbs (as the hub's aggregator authorises the same URL)", () => {
  it.each([
    ["GET", `${gw}/m/proxy/api/v1/namespaces`, { verb: "get", subresource: "proxy", name: "m" }],
    [
      "GET",
      `${gw}/m/proxy/api/v1/configmaps?watch=true`,
      { verb: "get", subresource: "proxy", name: "m" },
    ],
    ["HEAD", `${gw}/m/proxy/version`, { verb: "get", subresource: "proxy", name: "m" }],
    [
      "POST",
      `${gw}/m/proxy/api/v1/namespaces/x/configmaps`,
      { verb: "create", subresource: "proxy", name: "m" },
    ],
    [
      "PUT",
      `${gw}/m/proxy/api/v1/namespaces/x/configmaps/c`,
      { verb: "update", subresource: "proxy", name: "m" },
    ],
    [
      "PATCH",
      `${gw}/m/proxy/api/v1/namespaces/x/configmaps/c`,
      { verb: "patch", subresource: "proxy", name: "m" },
    ],
    [
      "DELETE",
      `${gw}/m/proxy/api/v1/namespaces/x/configmaps/c`,
      { verb: "delete", subresource: "proxy", name: "m" },
    ],
    ["GET", gw, { verb: "list", subresource: "", name: "" }],
    ["GET", `${gw}?watch=1`, { verb: "watch", subresource: "", name: "" }],
    ["GET", `${gw}/m`, { verb: "get", subresource: "", name: "m" }],
    ["GET", `${gw}/m/health`, { verb: "get", subresource: "health", name: "m" }],
  ] as const)("%s %s → %o", (method, url, access) => {
    expect(accessOf(method, url)).toEqual(access);
  });
});

describe("accessReviewSpec", () => {
  it("asks about the caller and the clustergateways subresource", () => {
    expect(accessReviewSpec(caller, { verb: "create", subresource: "proxy", name: "m" })).toEqual({
      user: caller.user,
      groups: caller.groups,
      extra: caller.extra,
      resourceAttributes: {
        group: "cluster.core.oam.dev",
        version: "v1alpha1",
        resource: "clustergateways",
        subresource: "proxy",
        name: "m",
        verb: "create",
      },
    });
  });
});

describe("createAccessReviewAuthorizer", () => {
  const access = { verb: "get", subresource: "proxy", name: "m" };

  it("allows, denies with kube's wording, and caches both briefly", async () => {
    let time = 0;
    const asked: AccessReviewSpec[] = [];
    const authorizer = createAccessReviewAuthorizer({
      clock: { ...systemClock, now: () => time },
      ttlMs: 1_000,
      review: (spec) => {
        asked.push(spec);
        return Promise.resolve({ allowed: spec.resourceAttributes.verb === "get" });
      },
    });
    await authorizer.authorize(caller, access);
    await authorizer.authorize(caller, access);
    expect(asked).toHaveLength(1);
    const denied = authorizer.authorize(caller, { ...access, verb: "delete" });
    await expect(denied).rejects.toBeInstanceOf(ForbiddenError);
    await expect(denied).rejects.toThrow(
      'clustergateways.cluster.core.oam.dev "m" is forbidden: User "system:serviceaccount:ns:sa" cannot delete resource "clustergateways/proxy"',
    );
    time = 1_001;
    await authorizer.authorize(caller, access);
    expect(asked).toHaveLength(3);
  });

  it("does not review front-proxy callers again: the hub authorised them", async () => {
    const authorizer = createAccessReviewAuthorizer({
      clock: { ...systemClock, now: () => 0 },
      review: () => Promise.reject(new Error("must not be called")),
    });
    await authorizer.authorize({ ...caller, via: "front-proxy" }, access);
  });

  it("is 503 when the hub cannot answer, and does not cache that", async () => {
    let up = false;
    const authorizer = createAccessReviewAuthorizer({
      clock: { ...systemClock, now: () => 0 },
      review: () =>
        up ? Promise.resolve({ allowed: true }) : Promise.reject(new Error("refused")),
    });
    await expect(authorizer.authorize(caller, access)).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
    up = true;
    await authorizer.authorize(caller, access);
  });
});
