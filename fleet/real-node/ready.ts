/** Whether a Node reports Ready (true), else undefined (for `waitFor`). */
import { request, type ApiEndpoint } from "../api.js";

interface NodeStatus {
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

export async function nodeReady(endpoint: ApiEndpoint, name: string): Promise<true | undefined> {
  const res = await request(endpoint, "GET", `/api/v1/nodes/${name}`);
  if (res.status !== 200) return undefined;
  const node = JSON.parse(res.body) as NodeStatus;
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return ready?.status === "True" ? true : undefined;
}
