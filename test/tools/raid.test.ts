// The raid calculator: the research table's counts exactly, and the cheapest mix against brute force.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contentSeed } from "../../src/content/content-seed.ts";
import { raidTableSchema } from "../../src/content/schemas.ts";
import { cheapestMix, type MixOption } from "../../src/tools/raid/cheapest-mix.ts";
import { planRaid } from "../../src/tools/raid/raid-plan.ts";
import { craftCost } from "../../src/tools/crafting/raw-cost.ts";

/** The reference's raid counts (test/fixtures/reference/raid-counts.json, from the game files) by our explosive keys. */
const KEYS: Record<string, string> = {
  "explosive.timed": "c4", "ammo.rocket.basic": "rocket", "ammo.rocket.hv": "hv-rocket", "explosive.satchel": "satchel",
  "grenade.beancan": "beancan", "grenade.f1": "f1", "ammo.rifle.explosive": "ammo",
};
const SULFUR: Record<string, number> = { c4: 2200, rocket: 1400, "hv-rocket": 200, satchel: 480, beancan: 120, f1: 60, ammo: 25 };
const reference = JSON.parse(readFileSync(new URL("../fixtures/reference/raid-counts.json", import.meta.url), "utf8")) as {
  targets: { key: string; grade?: string; item?: string; health: number; counts: Record<string, number> }[];
};

/** Every mix with each count up to its single-type count: the cheapest that destroys the target (in plain
 * floating point: one explosive is its damage over the HP where known, else 1/count). */
function bruteForce(options: MixOption[], hp?: number): number {
  let best = Infinity;
  const go = (i: number, share: number, sulfur: number): void => {
    if (i === options.length) {
      if (share >= 1 - 1e-12 && sulfur < best) best = sulfur;
      return;
    }
    const o = options[i]!;
    const part = hp !== undefined && o.damage !== undefined ? o.damage / hp : 1 / o.count;
    for (let a = 0; a <= o.count; a++) go(i + 1, share + a * part, sulfur + a * o.sulfur);
  };
  go(0, 0, 0);
  return best;
}

describe("raid calculator", async () => {
  const table = await contentSeed("raid-table");

  it("covers every target of the reference, with its HP and the count of every craftable explosive", () => {
    expect(table.targets).toHaveLength(reference.targets.length);
    reference.targets.forEach((ref, i) => {
      const target = table.targets[i]!;
      expect(target.hp, target.name).toBe(ref.health);
      const counts = Object.fromEntries(Object.entries(ref.counts).filter(([item]) => KEYS[item]).map(([item, n]) => [KEYS[item]!, n]));
      expect(target.counts, target.name).toEqual(counts);
    });
    expect(Object.fromEntries(table.explosives.map((e) => [e.key, e.sulfur]))).toEqual(SULFUR);
  });

  it.each([
    ["Wooden wall", 250, 56, 13],
    ["Stone wall", 500, 200, 46],
    ["Metal wall", 1000, 400, 112],
    ["Armored wall", 2000, 800, 223],
    ["Wooden door", 200, 20, 6],
  ])("%s: %i HP, %i explosive rounds, %i beancans; the mix is no dearer than any one explosive and really destroys it", (name, hp, ammo, beancans) => {
    const plan = planRaid(table, name, 1);
    expect(plan.target.hp).toBe(hp);
    const single = Object.fromEntries(plan.single.map((s) => [s.key, s]));
    expect(single["ammo"]).toMatchObject({ amount: ammo, sulfur: ammo * 25 });
    expect(single["beancan"]).toMatchObject({ amount: beancans, sulfur: beancans * 120 });
    expect(plan.mix.sulfur).toBeLessThanOrEqual(Math.min(...plan.single.map((s) => s.sulfur)));
    const share = plan.mix.parts.reduce((sum, p) => sum + p.amount / plan.target.counts[p.key]!, 0);
    expect(share).toBeGreaterThanOrEqual(1 - 1e-12);
    expect(plan.mix.parts.reduce((sum, p) => sum + p.amount * SULFUR[p.key]!, 0)).toBe(plan.mix.sulfur);
  });

  it("a wooden door with all seven explosives: the mix equals brute force over every combination", () => {
    const plan = planRaid(table, "wooden-door", 1);
    expect(plan.single).toHaveLength(7);
    const options = plan.single.map((s) => ({ key: s.key, count: s.amount, sulfur: s.sulfur / s.amount }));
    expect(plan.mix.sulfur).toBe(bruteForce(options));
  });

  it("with damage figures, the cheapest mix equals brute force on random targets", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 3000 }),
        fc.array(fc.record({ damage: fc.integer({ min: 10, max: 600 }), sulfur: fc.integer({ min: 1, max: 3000 }), known: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        (hp, raw) => {
          const options = raw.map((o, i) => {
            const count = Math.ceil(hp / o.damage);
            return { key: `e${i}`, count, sulfur: o.sulfur, ...(o.known && { damage: o.damage }) };
          });
          expect(cheapestMix(options, hp).sulfur).toBe(bruteForce(options, hp));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a count multiplies one target's plan; targets by id or name", () => {
    const one = planRaid(table, "armored-door", 1);
    const three = planRaid(table, "armored door", 3);
    expect(three.mix.sulfur).toBe(one.mix.sulfur * 3);
    expect(three.single.find((s) => s.key === "rocket")?.amount).toBe(15);
  });

  it("bad targets and counts are user errors", () => {
    expect(() => planRaid(table, "castle", 1)).toThrow(/Unknown target/);
    expect(() => planRaid(table, "stone-wall", 0)).toThrow(/1 to 1000/);
    expect(() => planRaid(table, "stone-wall", 1e9)).toThrow(/1 to 1000/);
  });

  it("the cheapest mix equals brute force on random tables", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ count: fc.integer({ min: 1, max: 12 }), sulfur: fc.integer({ min: 1, max: 3000 }) }), { minLength: 1, maxLength: 4 }),
        (raw) => {
          const options = raw.map((o, i) => ({ key: `e${i}`, ...o }));
          const mix = cheapestMix(options);
          expect(mix.sulfur).toBe(bruteForce(options));
          // The mix it names really destroys the target and costs what it says.
          const share = options.reduce((s, o) => s + (mix.amounts[o.key] ?? 0) / o.count, 0);
          expect(share).toBeGreaterThanOrEqual(1 - 1e-12);
          expect(options.reduce((s, o) => s + (mix.amounts[o.key] ?? 0) * o.sulfur, 0)).toBe(mix.sulfur);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the sulfur per explosive in the raid table is what the recipes cost", async () => {
    const recipes = await contentSeed("recipes");
    for (const e of table.explosives) {
      const sulfur = craftCost(recipes, e.item, 1, "amortised").raw.get("sulfur");
      expect(sulfur && Number(sulfur.n) / Number(sulfur.d)).toBe(e.sulfur);
    }
  });

  it("a raid table whose counts name an unknown explosive, or are too many to search, is refused", () => {
    const bad = { ...table, targets: [{ id: "x", name: "X", counts: { nuke: 1 } }] };
    expect(raidTableSchema.safeParse(bad).success).toBe(false);
    // Prices with no common step and thousands needed: millions of sulfur steps to search.
    const dear = { ...table, explosives: [{ key: "a", item: "a", name: "A", sulfur: 999_983 }, { key: "b", item: "b", name: "B", sulfur: 999_979 }] };
    const huge = { ...dear, targets: [{ id: "x", name: "X", counts: { a: 5000, b: 5000 } }] };
    expect(raidTableSchema.safeParse(huge).success).toBe(false);
    expect(raidTableSchema.safeParse({ ...dear, targets: [{ id: "x", name: "X", counts: { a: 2, b: 2 } }] }).success).toBe(true);
    const wrongDamage = { ...table, targets: [{ id: "x", name: "X", hp: 500, counts: { c4: 3 }, damage: { c4: 275 } }] };
    expect(JSON.stringify(raidTableSchema.safeParse(wrongDamage).error?.issues)).toContain("does not match");
  });
});
