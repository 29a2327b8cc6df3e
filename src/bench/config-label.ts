/** One-line labels of kernel configurations, for tables (pure). */

/** "name k=v k=v" from a name and a flat record, keys in their given order. */
export function configLabel(name: string, values: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return [name, ...parts].join(' ');
}

/** A tuning record's configuration as a label: its `variant` or `layout` first, then the rest. */
export function tunedConfigLabel(config: unknown): string {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return JSON.stringify(config) ?? String(config);
  const { variant, layout, ...rest } = config as Record<string, unknown>;
  const name = [variant, layout]
    .filter((x) => x !== undefined)
    .map(String)
    .join(' ');
  return name ? configLabel(name, rest) : configLabel('', rest).trim();
}
