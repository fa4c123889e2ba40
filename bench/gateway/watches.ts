/** Many concurrent watches through the gateway, each of which must see one new ConfigMap. */
import { openWatch, type OpenWatch } from "../../test/support/streams.js";
import { rssMiB } from "../rss.js";
import { WATCHES, WATCH_NS, log, round, send, sleep, timed, type Way } from "./way.js";

async function openWatches(w: Way, resourceVersion: string): Promise<OpenWatch[]> {
  const url = `${w.base}${w.prefix}/api/v1/namespaces/${WATCH_NS}/configmaps?watch=true&resourceVersion=${resourceVersion}`;
  const watches: OpenWatch[] = [];
  for (let i = 0; i < WATCHES; i += 50) {
    const batch = Math.min(50, WATCHES - i);
    watches.push(
      ...(await Promise.all(Array.from({ length: batch }, () => openWatch(url, w.caPem, w.token)))),
    );
  }
  return watches;
}

export async function watchPhase(gateway: Way, direct: Way, gatewayPid: number) {
  const list = await send(gateway, "GET", `/api/v1/namespaces/${WATCH_NS}/configmaps`, {
    expect: 200,
  });
  const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  const opened = await timed(() => openWatches(gateway, rv));
  const watches = opened.value;
  log(`${watches.length} watches open in ${Math.round(opened.ms)} ms`);
  try {
    await sleep(1_000);
    const rssOpen = rssMiB(gatewayPid);
    const name = "watched";
    const created = performance.now();
    await send(direct, "POST", `/api/v1/namespaces/${WATCH_NS}/configmaps`, {
      expect: 201,
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name } },
    });
    const results = await Promise.allSettled(
      watches.map((wt) => wt.next((e) => e.object.metadata?.name === name, 30_000)),
    );
    const fanoutMs = performance.now() - created;
    const received = results.filter((r) => r.status === "fulfilled").length;
    const samples: number[] = [rssOpen];
    for (let i = 0; i < 3; i++) {
      await sleep(1_000);
      samples.push(rssMiB(gatewayPid));
    }
    return {
      watches: watches.length,
      received,
      fanoutMs: round(fanoutMs, 1),
      openMs: Math.round(opened.ms),
      rssMiB: round(Math.max(...samples), 1),
    };
  } finally {
    for (const wt of watches) wt.close();
  }
}

// ---- set-up ----
