// Bounds a plausible catalog meets. A reference file that parses but is a stub ("{}" for the stack data, "[]"
// for the conveyor list) or a stale partial download would otherwise silently give every item stack size 1, or
// category Misc, or drop hundreds of items: each check below turns that into a refusal naming the file.
// Figures from the reference of 2026-11 (README in the reference dir): 1,131 items, all but ~20 with a stack
// size, ~800 with a conveyor category.
import type { ItemInput } from "../../src/tools/items/item-schema.ts";
import type { ItemsReport } from "./build-items.ts";
import { RefusedError } from "./refused.ts";

/** Fewer items than this is a broken rpp-items.json, not a game update. */
export const MIN_ITEMS = 1_000;
/** Share of current catalog ids a rebuild may drop without --allow-shrink (the game does retire a few items). */
export const MAX_DROPPED_SHARE = 0.03;

/**
 * Throws RefusedError (one line, naming the file at fault) unless `report` is a plausible catalog and, unless
 * `allowShrink`, keeps all but MAX_DROPPED_SHARE of the ids in `previous` (the committed gamedata/items.json).
 */
export function checkCatalog(report: ItemsReport, previous: readonly ItemInput[], allowShrink: boolean): void {
  const n = report.items.length;
  if (n < MIN_ITEMS) throw new RefusedError(`rpp-items.json: only ${n} items (a complete reference has over ${MIN_ITEMS.toLocaleString("en-US")}); truncated or stale file?`);
  if (report.defaultStack > n / 2) {
    throw new RefusedError(`rpp-rustlabsStackData.json: stack size known for only ${n - report.defaultStack} of ${n} items (need at least half)`);
  }
  if (report.miscCategory > n / 2) {
    throw new RefusedError(`conveyor-filters-items.json: category known for only ${n - report.miscCategory} of ${n} items (need at least half)`);
  }
  const now = new Set(report.items.map((i) => i.id));
  const dropped = previous.filter((i) => !now.has(i.id));
  if (!allowShrink && dropped.length > previous.length * MAX_DROPPED_SHARE) {
    const sample = dropped.slice(0, 5).map((i) => `${i.id} ${i.shortname}`).join(", ");
    throw new RefusedError(
      `rpp-items.json: the new catalog drops ${dropped.length} of the ${previous.length} ids in gamedata/items.json (e.g. ${sample}${dropped.length > 5 ? ", …" : ""}); pass --allow-shrink if the game really removed them`,
    );
  }
}
