/**
 * Page state in the URL hash (`#n=512&variant=tiled`), so a link reproduces a view.
 */

/** The hash's parameters. */
export function readHash(): URLSearchParams {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

/** Merges `values` into the hash without adding a history entry. */
export function writeHash(values: Record<string, string | number | boolean>): void {
  const params = readHash();
  for (const [k, v] of Object.entries(values)) params.set(k, String(v));
  history.replaceState(null, '', `#${params.toString()}`);
}
