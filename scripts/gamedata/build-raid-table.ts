// The raid table from the reference's raid-counts.json (HP and the count of each explosive per target, from the
// game files): every target it has, named from the catalog (building-block walls by grade). Each explosive's
// sulfur is what its recipe costs (amortised raw sulfur), so the table and /craft never disagree. Explosives
// that cannot be crafted (MLRS rockets, 40 mm HE grenades: found, not made) have no sulfur price and are left out.
import { raidTableSchema, type RaidTable, type Recipes } from "../../src/content/schemas.ts";
import { craftCost } from "../../src/tools/crafting/raw-cost.ts";
import type { ItemInput } from "../../src/tools/items/item-schema.ts";
import type { Reference } from "./read-reference.ts";
import { RefusedError } from "./refused.ts";

/** The explosives /raid prices, in the order they are listed: key, item shortname, short name. */
const EXPLOSIVES = [
  ["c4", "explosive.timed", "C4"],
  ["rocket", "ammo.rocket.basic", "Rocket"],
  ["hv-rocket", "ammo.rocket.hv", "HV rocket"],
  ["satchel", "explosive.satchel", "Satchel charge"],
  ["beancan", "grenade.beancan", "Beancan grenade"],
  ["f1", "grenade.f1", "F1 grenade"],
  ["ammo", "ammo.rifle.explosive", "Explosive 5.56 ammo"],
] as const;

const GRADE: Record<string, string> = { twig: "Twig", wood: "Wooden", stone: "Stone", metal: "Metal", armored: "Armored", toptier: "Armored" };

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 50);

/** "bobosneefdev/rust-items-json data/raid.json @ 0ca8f26d… (MIT; …, build 25824447)" → a short citation. */
function citation(source: string): string {
  const m = /^(\S+\/\S+)\s+(\S+)\s+@\s*([0-9a-f]{7})[0-9a-f]*.*?(build \d+)?\)/.exec(source);
  return m ? `${m[1]} ${m[2]} @${m[3]}${m[4] ? `, game ${m[4]}` : ""}` : source.slice(0, 200);
}

export interface RaidReport {
  table: RaidTable;
  skippedExplosives: string[];
}

export function buildRaidTable(ref: Reference, items: readonly ItemInput[], recipes: Recipes): RaidReport {
  const names = new Map(items.map((i) => [i.shortname, i.name]));
  const explosives = EXPLOSIVES.map(([key, item, name]) => {
    const sulfur = craftCost(recipes, item, 1, "amortised").raw.get("sulfur");
    if (!sulfur || sulfur.d !== 1n) throw new RefusedError(`rpp-rustlabsCraftData.json: ${item}'s recipe gives no whole sulfur cost`);
    return { key, item, name, sulfur: Number(sulfur.n) };
  });
  const keyOf = new Map(explosives.map((e) => [e.item as string, e.key]));
  const skipped = new Set<string>();
  const targets = ref.raid.targets.map((t) => {
    const piece = t.key.split("/")[0] ?? t.key;
    const name = t.grade
      ? `${GRADE[t.grade] ?? t.grade} ${piece.replace(/\W+/g, " ").replace(/\b\w/g, (c) => c.toUpperCase())}`
      : (names.get(t.item ?? t.key) ?? t.key);
    const counts: Record<string, number> = {};
    for (const [item, count] of Object.entries(t.counts)) {
      const key = keyOf.get(item);
      if (key) counts[key] = count;
      else skipped.add(item);
    }
    return { id: slug(name), name, hp: t.health, counts };
  });
  const table = { source: citation(ref.raid._source), explosives, targets };
  return { table: raidTableSchema.parse(table), skippedExplosives: [...skipped] };
}
