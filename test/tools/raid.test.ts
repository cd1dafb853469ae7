// The raid calculator: the research table's counts exactly, and the cheapest mix against brute force.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentSeed } from "../../src/content/content-seed.ts";
import { raidTableSchema } from "../../src/content/schemas.ts";
import { cheapestMix, type MixOption } from "../../src/tools/raid/cheapest-mix.ts";
import { planRaid } from "../../src/tools/raid/raid-plan.ts";
import { craftCost } from "../../src/tools/crafting/raw-cost.ts";

const RESEARCH: [string, number, number, number, number][] = [
  ["Stone wall", 2, 4, 10, 185],
  ["Metal wall", 4, 8, 23, 400],
  ["Armored wall", 8, 15, 46, 799],
  ["Wooden wall", 1, 2, 3, 49],
  ["Wooden door", 1, 1, 2, 19],
  ["Sheet metal door", 1, 2, 4, 63],
  ["Garage door", 2, 3, 9, 150],
  ["Armored door", 3, 5, 15, 250],
];

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

  it.each(RESEARCH)("%s: C4 %i, rockets %i, satchels %i, explosive ammo %i, with their sulfur", (name, c4, rockets, satchels, ammo) => {
    const plan = planRaid(table, name, 1);
    expect(Object.fromEntries(plan.single.map((s) => [s.key, s.amount]))).toEqual({ c4, rocket: rockets, satchel: satchels, ammo });
    expect(Object.fromEntries(plan.single.map((s) => [s.key, s.sulfur]))).toEqual({ c4: c4 * 2200, rocket: rockets * 1400, satchel: satchels * 480, ammo: ammo * 25 });
    const damage = plan.target.damage ?? {};
    const options = plan.single.map((s) => ({ key: s.key, count: s.amount, sulfur: s.sulfur / s.amount, ...(damage[s.key] !== undefined && { damage: damage[s.key]! }) }));
    expect(plan.mix.sulfur).toBe(bruteForce(options, plan.target.hp));
    expect(plan.mix.sulfur).toBeLessThanOrEqual(Math.min(...plan.single.map((s) => s.sulfur)));
  });

  it("a stone wall (C4 does 275 of its 500 HP): 1 C4 + 84 explosive rounds, 4,300 sulfur, beats 2 C4", () => {
    const plan = planRaid(table, "stone-wall", 1);
    expect(plan.mix).toEqual({ parts: [{ key: "c4", name: "C4", amount: 1 }, { key: "ammo", name: "Explosive 5.56 ammo", amount: 84 }], sulfur: 4300 });
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
    const three = planRaid(table, "Armored Door", 3);
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
    const huge = { ...table, targets: [{ id: "x", name: "X", counts: { c4: 5000, rocket: 5000, satchel: 5000, ammo: 5000 } }] };
    expect(raidTableSchema.safeParse(huge).success).toBe(false);
    const wrongDamage = { ...table, targets: [{ id: "x", name: "X", hp: 500, counts: { c4: 3 }, damage: { c4: 275 } }] };
    expect(JSON.stringify(raidTableSchema.safeParse(wrongDamage).error?.issues)).toContain("does not match");
  });
});
