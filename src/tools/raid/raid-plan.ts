// /raid's answer for a target and a count: each explosive alone (how many, how much sulfur) and the cheapest
// mix. Explosive damage does not carry from one target to the next, so the count multiplies one target's plan.
import type { RaidTable } from "../../content/schemas.ts";
import { UserError } from "../../errors.ts";
import { cheapestMix, type Mix } from "./cheapest-mix.ts";

export const MAX_TARGETS = 1_000;

export interface RaidPlan {
  target: RaidTable["targets"][number];
  count: number;
  single: { key: string; name: string; amount: number; sulfur: number }[];
  mix: { parts: { key: string; name: string; amount: number }[]; sulfur: number };
}

export function findTarget(table: RaidTable, query: string) {
  const q = query.trim().toLowerCase();
  return table.targets.find((t) => t.id === q) ?? table.targets.find((t) => t.name.toLowerCase() === q);
}

export function planRaid(table: RaidTable, targetQuery: string, count: number): RaidPlan {
  const target = findTarget(table, targetQuery);
  if (!target) throw new UserError(`Unknown target. Pick one of: ${table.targets.map((t) => t.name).join(", ")}.`);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_TARGETS) throw new UserError(`The count must be a whole number from 1 to ${MAX_TARGETS}.`);
  const usable = table.explosives.filter((e) => target.counts[e.key] !== undefined);
  const single = usable.map((e) => {
    const amount = target.counts[e.key]! * count;
    return { key: e.key, name: e.name, amount, sulfur: amount * e.sulfur };
  });
  const damage = (key: string) => target.damage?.[key];
  const one: Mix = cheapestMix(
    usable.map((e) => ({ key: e.key, count: target.counts[e.key]!, sulfur: e.sulfur, ...(damage(e.key) !== undefined && { damage: damage(e.key)! }) })),
    target.hp,
  );
  const parts = usable.filter((e) => one.amounts[e.key]).map((e) => ({ key: e.key, name: e.name, amount: one.amounts[e.key]! * count }));
  return { target, count, single, mix: { parts, sulfur: one.sulfur * count } };
}
