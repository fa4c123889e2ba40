/**
 * Create-or-keep and create-or-replace for the installers' client-node calls: an object that
 * already exists (409) is kept, or replaced when a `replace` is given; any other failure is a
 * typed error naming the object (`kubeError`). Deletions treat a missing object (404) as done.
 */
import { apiStatusOf, kubeError } from "../cluster/kube.js";

/** Creates an object unless it exists; `replace` (given) brings an existing one up to date. */
export async function ensure(
  what: string,
  create: () => Promise<unknown>,
  replace?: () => Promise<unknown>,
): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (apiStatusOf(error) !== 409) throw kubeError(error, `creating ${what}`);
    await replace?.().catch((e: unknown) => {
      throw kubeError(e, `updating ${what}`);
    });
  }
}

/** Deletes an object; one that is already gone is fine. */
export async function remove(what: string, call: () => Promise<unknown>): Promise<void> {
  await call().catch((error: unknown) => {
    if (apiStatusOf(error) !== 404) throw kubeError(error, `deleting ${what}`);
  });
}
