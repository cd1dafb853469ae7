// The sorter planner: every target in exactly one box, conveyors of at most 30 entries in the game's format,
// items before categories, capacity from the box, and overflow conveyors that name everything.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Target } from "../../src/tools/conveyor/filter-entry.ts";
import { planText } from "../../src/tools/conveyor/plan-answer.ts";
import { planSorter } from "../../src/tools/conveyor/plan-sorter.ts";
import { splitList } from "../../src/tools/conveyor/resolve-targets.ts";

const item = (i: number): Target => ({ kind: "item", shortname: `item.${i}`, name: `Item ${i}`, stackSize: 100 });
const cat = (c: number): Target => ({ kind: "category", category: c, name: `Cat ${c}` });

describe("sorter planner", () => {
  it("writes the game's filter entries: items by shortname, categories by number with an empty name", () => {
    const plan = planSorter([cat(0), item(1)], 1, 48);
    expect(plan.boxes[0]!.conveyors[0]).toEqual({
      mode: "Any",
      filter: [
        { TargetCategory: null, MaxAmountInOutput: 4800, BufferAmount: 0, MinAmountInInput: 0, IsBlueprint: false, BufferTransferRemaining: 0, TargetItemName: "item.1" },
        { TargetCategory: 0, MaxAmountInOutput: 0, BufferAmount: 0, MinAmountInInput: 0, IsBlueprint: false, BufferTransferRemaining: 0, TargetItemName: "" },
      ],
    });
    expect(plan.overflow).toHaveLength(1);
    expect(plan.overflow[0]!.mode).toBe("Not");
  });

  it("for any list and box count: each target in one box, at most 30 entries a conveyor, overflow names all", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 48 }), (items, cats, boxes, slots) => {
        const targets = [...Array.from({ length: items }, (_, i) => item(i)), ...Array.from({ length: cats }, (_, i) => cat(i))];
        const plan = planSorter(targets, boxes, slots);
        expect(plan.boxes.length).toBe(Math.min(boxes, targets.length));
        const entries = plan.boxes.flatMap((b) => b.conveyors.flatMap((c) => c.filter));
        expect(entries).toHaveLength(targets.length);
        expect(new Set(entries.map((e) => `${e.TargetItemName}|${e.TargetCategory}`)).size).toBe(targets.length);
        for (const c of [...plan.boxes.flatMap((b) => b.conveyors), ...plan.overflow]) expect(c.filter.length).toBeLessThanOrEqual(30);
        for (const b of plan.boxes) {
          const filter = b.conveyors.flatMap((c) => c.filter);
          const firstCategory = filter.findIndex((e) => e.TargetCategory !== null);
          if (firstCategory >= 0) expect(filter.slice(firstCategory).every((e) => e.TargetCategory !== null)).toBe(true);
          const itemCount = filter.filter((e) => e.TargetCategory === null).length;
          // Together the items fit the box (at least a stack each).
          if (itemCount <= slots) expect(filter.reduce((s, e) => s + e.MaxAmountInOutput, 0)).toBeLessThanOrEqual(slots * 100);
        }
        expect(plan.overflow.flatMap((c) => c.filter)).toHaveLength(targets.length);
        const sizes = plan.boxes.map((b) => b.targets.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it("splits the form's list on lines, commas and semicolons, without repeats", () => {
    expect(splitList("sulfur\nMetal Fragments, sulfur;  \n\nAmmunition")).toEqual(["sulfur", "Metal Fragments", "Ammunition"]);
  });

  it("the file: every conveyor's filter on a line of its own, ready to paste; everything else is a # heading", () => {
    const plan = planSorter(Array.from({ length: 150 }, (_, i) => item(i)), 3, 48);
    const lines = planText(plan).split("\n").filter((l) => l !== "");
    const json = lines.filter((l) => !l.startsWith("#"));
    const conveyors = [...plan.boxes.flatMap((b) => b.conveyors), ...plan.overflow];
    expect(json.map((l) => JSON.parse(l) as unknown)).toEqual(conveyors.map((c) => c.filter));
    expect(lines.filter((l) => l.startsWith("#")).some((l) => l.includes("hold Shift"))).toBe(true);
    expect(lines).toContain("# Overflow, conveyor 5 of 5 in series — mode Not");
  });
});
