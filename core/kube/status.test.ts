import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UpstreamUnavailableError,
} from "../errors.js";
import {
  errorClassOf,
  kubeStatusOf,
  statusError,
  statusMessage,
  statusMessageOf,
} from "./status.js";

describe("statusError", () => {
  const body = JSON.stringify({
    kind: "Status",
    message: 'configmaps "x" not found',
    reason: "NotFound",
    code: 404,
  });

  it("maps statuses to typed errors with the Status message, keeping the status as cause", () => {
    const notFound = statusError(404, "hub GET /api/v1/x", body);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.message).toBe('hub GET /api/v1/x: HTTP 404: configmaps "x" not found');
    expect(kubeStatusOf(notFound)).toBe(404);
    expect(notFound.cause).toMatchObject({ status: 404, reason: "NotFound" });
    expect(statusError(409, "w", "{}")).toBeInstanceOf(ConflictError);
    expect(statusError(422, "w", "{}")).toBeInstanceOf(InvalidInputError);
    expect(statusError(400, "w", "{}")).toBeInstanceOf(InvalidInputError);
    expect(statusError(410, "w", "{}")).toBeInstanceOf(UpstreamUnavailableError);
    expect(statusError(500, "w", "")).toBeInstanceOf(UpstreamUnavailableError);
  });

  it("reports 401 and 403 as the caller's by default", () => {
    expect(statusError(401, "w", "")).toBeInstanceOf(UnauthenticatedError);
    expect(statusError(403, "w", "")).toBeInstanceOf(ForbiddenError);
  });

  it("never passes the program's own credential failure on as its caller's (upstream)", () => {
    expect(statusError(401, "w", "", "upstream")).toBeInstanceOf(UpstreamUnavailableError);
    expect(statusError(403, "w", "", "upstream")).toBeInstanceOf(UpstreamUnavailableError);
    expect(kubeStatusOf(statusError(403, "w", "", "upstream"))).toBe(403);
    expect(statusError(404, "w", "", "upstream")).toBeInstanceOf(NotFoundError);
    expect(errorClassOf(401, "upstream")).toBe(UpstreamUnavailableError);
    expect(errorClassOf(418)).toBe(UpstreamUnavailableError);
  });

  it("reads a parsed Status (a watch's ERROR event) as well as text", () => {
    const error = statusError(500, "watch", { kind: "Status", message: "etcd down", code: 500 });
    expect(error.message).toBe("watch: HTTP 500: etcd down");
  });

  it("shows a body that is not a Status as text", () => {
    expect(statusMessage("  plain failure \n")).toBe("plain failure");
    expect(statusMessage(JSON.stringify({ kind: "Status", code: 1 }))).toBe(
      '{"kind":"Status","code":1}',
    );
  });

  it("reads a Status message from text or a parsed body, and nothing from other bodies", () => {
    expect(statusMessageOf(body)).toBe('configmaps "x" not found');
    expect(statusMessageOf({ kind: "Status", message: "etcd down" })).toBe("etcd down");
    expect(statusMessageOf("plain failure")).toBeUndefined();
    expect(statusMessageOf(JSON.stringify({ kind: "Status", code: 1 }))).toBeUndefined();
    expect(statusMessageOf(undefined)).toBeUndefined();
  });

  it("finds no status on errors that carry none", () => {
    expect(kubeStatusOf(new Error("x"))).toBeUndefined();
    expect(kubeStatusOf("x")).toBeUndefined();
  });
});
