// The layers a map image can show, switched by the buttons under it. The set travels in the buttons' custom ids
// as a short string of flags, so a button pressed after a restart still knows what the image showed.
export const LAYERS = ["grid", "monuments", "team", "notes", "events", "shops"] as const;
export type Layer = (typeof LAYERS)[number];
export type LayerSet = ReadonlySet<Layer>;

export const LAYER_LABELS: Record<Layer, string> = { grid: "Grid", monuments: "Monuments", team: "Team", notes: "Notes", events: "Events", shops: "Shops" };

/** What /map shows when no layer is named. */
export const DEFAULT_LAYERS: LayerSet = new Set<Layer>(["grid", "monuments", "team", "notes", "events"]);

/** Six flags, one per layer in LAYERS order: "111110". */
export function encodeLayers(layers: LayerSet): string {
  return LAYERS.map((l) => (layers.has(l) ? "1" : "0")).join("");
}

/** The set a custom id carries, or null when the text is not one encodeLayers makes. */
export function decodeLayers(text: string): Set<Layer> | null {
  if (!/^[01]{6}$/.test(text)) return null;
  return new Set(LAYERS.filter((_, i) => text[i] === "1"));
}

/** Layer names a user typed ("grid team", "grid,notes"), or null with the first unknown word. */
export function parseLayerNames(text: string): { layers: Set<Layer> } | { unknown: string } {
  const layers = new Set<Layer>();
  for (const word of text.toLowerCase().split(/[\s,]+/).filter(Boolean)) {
    const layer = LAYERS.find((l) => l === word || `${l}s` === word || l === `${word}s`);
    if (!layer) return { unknown: word };
    layers.add(layer);
  }
  return { layers };
}

export function toggled(layers: LayerSet, layer: Layer): Set<Layer> {
  const next = new Set(layers);
  if (next.has(layer)) next.delete(layer);
  else next.add(layer);
  return next;
}
