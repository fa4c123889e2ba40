// Module hooks for record-imports.js: report each resolved URL, change nothing.
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  process.stderr.write(`loaded ${resolved.url}\n`);
  return resolved;
}
