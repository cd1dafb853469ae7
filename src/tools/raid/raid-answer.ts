// /raid's embed, and the targets for its autocomplete.
import type { APIEmbed, ApplicationCommandOptionChoiceData } from "discord.js";
import type { RaidTable } from "../../content/schemas.ts";
import type { RaidPlan } from "./raid-plan.ts";

const n = (x: number) => x.toLocaleString("en-US");

/** The footer: where the counts come from (the table's source), then the operator's note. */
export function raidFooter(table: RaidTable, note: string | undefined): string | undefined {
  const parts = [table.source && `Counts: ${table.source}.`, note].filter((p): p is string => !!p);
  return parts.length ? parts.join(" ").slice(0, 2048) : undefined;
}

export function raidEmbed(plan: RaidPlan, footer: string | undefined): APIEmbed {
  const title = `${plan.count > 1 ? `${n(plan.count)} × ` : ""}${plan.target.name}${plan.target.hp ? ` (${n(plan.target.hp)} HP)` : ""}`;
  const single = [...plan.single].sort((a, b) => a.sulfur - b.sulfur).map((s) => `${s.name}: **${n(s.amount)}** — ${n(s.sulfur)} sulfur`);
  const mix = plan.mix.parts.map((p) => `${n(p.amount)} × ${p.name}`).join(" + ");
  return {
    title,
    fields: [
      { name: "Each explosive alone", value: single.join("\n") },
      { name: "Cheapest mix", value: `${mix} — **${n(plan.mix.sulfur)} sulfur**` },
    ],
    ...(footer && { footer: { text: footer } }),
  };
}

export function targetChoices(table: RaidTable, typed: string): ApplicationCommandOptionChoiceData[] {
  const q = typed.trim().toLowerCase();
  return table.targets.filter((t) => !q || t.name.toLowerCase().includes(q) || t.id.includes(q)).slice(0, 25).map((t) => ({ name: t.name, value: t.id }));
}
