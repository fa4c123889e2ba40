/**
 * The agent's hub client from its configuration: with `--hub-kubeconfig`, the kubeconfig's
 * token, renewed by the agent with its own Role (`token.ts`); with
 * `--hub-bootstrap-kubeconfig`, working tokens minted with the bootstrap credential and kept in
 * memory (`hub-credential.ts`, docs/adr/0018-agent-credential.md). Nothing is written to disk.
 */
import type { Clock } from "../core/controller/clock.js";
import type { Logger } from "../core/controller/logger.js";
import { createKubeClient, type KubeClient } from "../core/kube/client.js";
import { loadKubeconfigFile } from "../core/kube/connect.js";
import type { AgentConfig } from "./config.js";
import { startHubCredential, tokenRequester, withHubCredential } from "./hub-credential.js";

export interface HubConnection {
  readonly hub: KubeClient;
  /** Whether the agent renews the kubeconfig's token itself (`--hub-kubeconfig` mode). */
  readonly renewToken: boolean;
}

export function connectHub(
  config: Pick<
    AgentConfig,
    "cluster" | "hubKubeconfig" | "hubBootstrapKubeconfig" | "hubTokenLifetimeMs"
  >,
  deps: { readonly clock: Clock; readonly log: Logger; readonly userAgent: string },
): HubConnection {
  const { userAgent } = deps;
  if (config.hubBootstrapKubeconfig === undefined) {
    const file = config.hubKubeconfig as string; // loadAgentConfig requires one of the two
    return {
      hub: createKubeClient(loadKubeconfigFile(file), { name: "hub", userAgent }),
      renewToken: true,
    };
  }
  const connection = loadKubeconfigFile(config.hubBootstrapKubeconfig);
  const bootstrap = createKubeClient(connection, { name: "hub (bootstrap)", userAgent });
  const hub = createKubeClient(connection, { name: "hub", userAgent });
  const credential = startHubCredential({
    requestToken: tokenRequester(bootstrap, config.cluster),
    lifetimeMs: config.hubTokenLifetimeMs,
    onToken: (token) => hub.setToken(token),
    clock: deps.clock,
    log: deps.log,
  });
  const wrapped = withHubCredential(hub, credential);
  return {
    hub: { ...wrapped, close: () => (wrapped.close(), bootstrap.close()) },
    renewToken: false,
  };
}
