// Stripe's request encoding: application/x-www-form-urlencoded with bracketed nesting, as stripe-node
// writes it ("line_items[0][price]=price_1&metadata[userId]=u1&expand[0]=data.customer").
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Form = Record<string, FormValue>;

export function parseForm(text: string): Form {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw new Error(`malformed form key: ${rawKey}`);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (typeof next !== "object" || next === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    });
  }
  return arrays(root) as Form;
}

/** {"0": a, "1": b} → [a, b], recursively. */
function arrays(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, arrays(v)] as const);
  const numeric = entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k));
  if (numeric) return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  return Object.fromEntries(entries);
}

export function str(form: Form | undefined, key: string): string | undefined {
  const value = form?.[key];
  return typeof value === "string" ? value : undefined;
}

export function obj(form: Form | undefined, key: string): Form | undefined {
  const value = form?.[key];
  return typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

export function list(form: Form | undefined, key: string): FormValue[] {
  const value = form?.[key];
  return Array.isArray(value) ? value : [];
}

/** Metadata as Stripe stores it: strings only. */
export function metadata(form: Form | undefined, key = "metadata"): Record<string, string> {
  const value = obj(form, key) ?? {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
