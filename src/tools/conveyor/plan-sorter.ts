// A sorter manifest: the targets shared out over the boxes in the order given (as evenly as possible), each
// box fed by conveyors of at most 30 entries in Any mode (specific items before categories: the first match
// wins), each item's most-in-output set from the box's capacity; then overflow conveyors in Not mode, in series
// (each one passes on only what none of its entries name), so whatever no box takes ends in the overflow box.
import { filterEntry, MAX_ENTRIES, type GameFilterEntry, type Target } from "./filter-entry.ts";

export interface ConveyorPlan {
  mode: "Any" | "Not";
  filter: GameFilterEntry[];
}

export interface SorterManifest {
  slotsPerBox: number;
  boxes: { box: number; targets: string[]; conveyors: ConveyorPlan[] }[];
  overflow: ConveyorPlan[];
}

export const MAX_BOXES = 30;
export const MAX_TARGETS = 300;

const chunks = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

/** Items first (the first matching entry wins), then categories. */
const specificFirst = (targets: readonly Target[]) => [...targets.filter((t) => t.kind === "item"), ...targets.filter((t) => t.kind === "category")];

export function planSorter(targets: readonly Target[], boxCount: number, slotsPerBox: number): SorterManifest {
  if (targets.length === 0) throw new Error("nothing to sort");
  const boxes = Math.min(boxCount, targets.length);
  const base = Math.floor(targets.length / boxes);
  const extra = targets.length % boxes;
  const manifest: SorterManifest = { slotsPerBox, boxes: [], overflow: [] };
  let at = 0;
  for (let b = 0; b < boxes; b++) {
    const share = specificFirst(targets.slice(at, at + base + (b < extra ? 1 : 0)));
    at += share.length;
    const items = share.filter((t) => t.kind === "item").length;
    // Each item may fill an equal share of the box's slots (at least one stack); categories are not limited.
    const slotsEach = Math.max(1, Math.floor(slotsPerBox / Math.max(1, items)));
    const entries = share.map((t) => filterEntry(t, t.kind === "item" ? t.stackSize * slotsEach : 0));
    manifest.boxes.push({ box: b + 1, targets: share.map((t) => t.name), conveyors: chunks(entries, MAX_ENTRIES).map((filter) => ({ mode: "Any", filter })) });
  }
  const all = specificFirst(targets).map((t) => filterEntry(t, 0));
  manifest.overflow = chunks(all, MAX_ENTRIES).map((filter) => ({ mode: "Not", filter }));
  return manifest;
}
