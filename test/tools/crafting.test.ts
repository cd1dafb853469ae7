// Crafting costs: amortised fractions, batch rounding with leftovers, the workbench of the tree, loops refused.
import { describe, expect, it } from "vitest";
import { contentSeed } from "../../src/content/content-seed.ts";
import { recipesSchema } from "../../src/content/schemas.ts";
import { craftCost } from "../../src/tools/crafting/raw-cost.ts";
import { formatFraction, type Fraction } from "../../src/tools/crafting/fraction.ts";

const num = (f: Fraction | undefined) => (f ? Number(f.n) / Number(f.d) : 0);

describe("crafting", async () => {
  const book = await contentSeed("recipes");

  it("a rocket is 1,400 sulfur amortised, needs workbench 3", () => {
    const cost = craftCost(book, "ammo.rocket.basic", 1, "amortised");
    expect(num(cost.raw.get("sulfur"))).toBe(1400);
    expect(num(cost.raw.get("charcoal"))).toBe(1950);
    expect(num(cost.raw.get("metalpipe"))).toBe(2);
    expect(cost.workbench).toBe(3);
    expect(cost.ingredients).toEqual([{ item: "metalpipe", amount: 2 }, { item: "gunpowder", amount: 150 }, { item: "explosives", amount: 10 }]);
  });

  it("amortised keeps fractions; batch rounds crafts up and carries leftovers", () => {
    const amortised = craftCost(book, "ammo.rifle.explosive", 1, "amortised");
    expect(num(amortised.raw.get("sulfur"))).toBe(25);
    expect(formatFraction(amortised.raw.get("metal.fragments")!)).toBe("5");
    const batch = craftCost(book, "ammo.rifle.explosive", 1, "batch");
    // One craft makes 2 rounds: 10 sulfur + 20 gunpowder (2 gunpowder crafts: 40 sulfur).
    expect(num(batch.raw.get("sulfur"))).toBe(50);
    expect(batch.leftovers.get("ammo.rifle.explosive")).toBe(1n);
    // Batch leftovers are shared: 2 C4 is 40 explosives, 2,000 gunpowder, exactly 200 gunpowder crafts.
    const c4 = craftCost(book, "explosive.timed", 2, "batch");
    expect(num(c4.raw.get("sulfur"))).toBe(4400);
    // 120 low grade fuel: 30 crafts of 4.
    expect(num(c4.raw.get("fat.animal"))).toBe(90);
  });

  it("time adds up every craft", () => {
    const cost = craftCost(book, "grenade.beancan", 1, "batch");
    // 1 beancan (6.25 s) + 6 gunpowder crafts (2 s each).
    expect(num(cost.seconds)).toBe(18.25);
  });

  it("bad quantities and unknown recipes are user errors", () => {
    expect(() => craftCost(book, "ammo.rocket.basic", 0, "batch")).toThrow(/1 to 100,000/);
    expect(() => craftCost(book, "ammo.rocket.basic", 2 ** 60, "batch")).toThrow(/1 to 100,000/);
    expect(() => craftCost(book, "sulfur", 1, "batch")).toThrow(/no recipe/);
  });

  it("a recipe book with a loop is refused", () => {
    const loop = {
      raw: [],
      recipes: [
        { item: "a", amount: 1, workbench: 0, seconds: 1, ingredients: [{ item: "b", amount: 1 }] },
        { item: "b", amount: 1, workbench: 0, seconds: 1, ingredients: [{ item: "a", amount: 1 }] },
      ],
    };
    const result = recipesSchema.safeParse(loop);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("a → b → a");
  });
});
