/**
 * `KeepAliveKubeConfig`: a `KubeConfig` whose API clients reuse one keep-alive HTTPS agent per
 * (cluster, user) instead of the fresh agent client-node builds for every request.
 *
 * Why: client-node 1.x creates a new `https.Agent` in every `applySecurityAuthentication`, so
 * every call of a long-running process (the hub's dispatch, status patches, health reads)
 * opens a new TCP + TLS connection. Measured on the hub-scale benchmark that is ~3.6 ms of
 * client CPU and ~2 ms of API-server CPU per request, against ~0.5 + ~0.8 ms on a kept
 * connection. Headers (tokens, including exec-plugin tokens) are still applied per request;
 * only the transport is shared. Proxied clusters (`proxy-url`) and plain HTTP keep
 * client-node's own agents.
 *
 * Idle kept sockets are unref'd by Node, so a short-lived CLI using this does not hang.
 */
import https from "node:https";
import { KubeConfig, type RequestContext } from "@kubernetes/client-node";

export class KeepAliveKubeConfig extends KubeConfig {
  private readonly agents = new Map<string, https.Agent>();

  /** A keep-alive copy of `source` (same clusters, users, contexts and current context). */
  static from(source: KubeConfig): KeepAliveKubeConfig {
    const kc = new KeepAliveKubeConfig();
    kc.loadFromOptions({
      clusters: source.clusters,
      users: source.users,
      contexts: source.contexts,
      currentContext: source.currentContext,
    });
    return kc;
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getAgent();
    // Only a plain https.Agent: proxy agents are other classes and stay per request.
    if (fresh?.constructor !== https.Agent) return;
    const key = `${this.getCurrentCluster()?.name ?? ""}\u0000${this.getCurrentUser()?.name ?? ""}`;
    let shared = this.agents.get(key);
    if (shared === undefined) {
      shared = new https.Agent({ ...fresh.options, keepAlive: true });
      this.agents.set(key, shared);
    }
    context.setAgent(shared);
  }

  /** Closes every kept connection (for a clean shutdown; later requests open new ones). */
  closeIdle(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
