import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UpstreamUnavailableError,
} from "../core/errors.js";
import { statusOf, writeStatusToSocket } from "./status.js";

describe("statusOf", () => {
  it.each<[Error, number, string]>([
    [new UnauthenticatedError("no credential"), 401, "Unauthorized"],
    [new ForbiddenError("not allowed"), 403, "Forbidden"],
    [new NotFoundError('clustergateways "x" not found'), 404, "NotFound"],
    [new UpstreamUnavailableError("member unreachable"), 503, "ServiceUnavailable"],
    [new InvalidInputError("bad"), 400, "BadRequest"],
  ])("%s → %i %s", (error, code, reason) => {
    expect(statusOf(error)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: error.message,
      reason,
      code,
    });
  });

  it("hides the text of unexpected errors", () => {
    const status = statusOf(new TypeError("secret detail at /etc/x"));
    expect(status).toMatchObject({ code: 500, reason: "InternalError", message: "internal error" });
  });
});

describe("writeStatusToSocket", () => {
  it("writes an HTTP response with the Status body", async () => {
    const socket = new PassThrough();
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    writeStatusToSocket(socket, new ForbiddenError("no"));
    await new Promise((r) => socket.on("close", r));
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.startsWith("HTTP/1.1 403 Forbidden\r\n")).toBe(true);
    const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { code: number };
    expect(body.code).toBe(403);
  });
});
