/**
 * Writes the report to the hub: `ClusterReport vela-system/<cluster>`, field `status.report`,
 * by a JSON merge patch of the status subresource — never `status.conditions` (the hub's).
 * It writes only when the content differs from what the hub has (ignoring `observedTime`),
 * and stamps `observedTime` with the time the new content was first seen. What the hub has is
 * read once at start and after a failed write, then tracked from our own writes, so an
 * unchanged report costs no request and an agent restart does not rewrite it.
 */
import type { Clock } from "../core/controller/clock.js";
import { errorText, type Logger } from "../core/controller/logger.js";
import { reportChanged } from "./diff.js";
import { MERGE_PATCH, type KubeClient } from "../core/kube/client.js";
import { reportPath } from "./names.js";
import type { ClusterReport } from "../core/cluster/agent-contract.js";
import type { ReportContent } from "./report.js";

export type PublishResult = "written" | "unchanged" | "failed";

export interface ReportWriter {
  /**
   * Publishes `content` (all of it) or, with `partial`, only the given fields over what the
   * hub has (used before the first node list: API readiness is known, nodes are not).
   */
  publish(content: Partial<ReportContent>, partial?: boolean): Promise<PublishResult>;
  /** The report as last known on the hub, if known. */
  current(): ClusterReport | undefined;
}

export interface ReportWriterOptions {
  readonly hub: KubeClient;
  readonly cluster: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly timeoutMs?: number;
}

/** RFC 3339 with whole seconds, as Kubernetes writes times. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

export function createReportWriter(options: ReportWriterOptions): ReportWriter {
  const { cluster, clock, log } = options;
  const path = `${reportPath(cluster)}/status`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  /** undefined: not known, read before comparing. */
  let known: Record<string, unknown> | undefined;

  async function readKnown(): Promise<Record<string, unknown>> {
    const object = await options.hub.json<{ status?: { report?: Record<string, unknown> } }>({
      path,
      timeoutMs,
    });
    return object.status?.report ?? {};
  }

  return {
    async publish(content, partial = false) {
      try {
        known ??= await readKnown();
        const next = partial ? { ...known, ...content } : content;
        if (!reportChanged(known, next)) return "unchanged";
        const report = { ...next, observedTime: rfc3339(clock.now()) };
        const body = { status: { report } };
        await options.hub.json({
          method: "PATCH",
          path,
          body,
          contentType: MERGE_PATCH,
          timeoutMs,
        });
        known = report;
        log.info("report written", { report });
        return "written";
      } catch (error) {
        known = undefined;
        log.warn("writing the report failed; retrying", {
          error: errorText(error),
        });
        return "failed";
      }
    },
    current: () => known as ClusterReport | undefined,
  };
}
