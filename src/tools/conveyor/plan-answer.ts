// A sorter plan for people: a summary embed, and a text file with every conveyor's filter ready to paste.
import { AttachmentBuilder, type APIEmbed } from "discord.js";
import type { SorterManifest } from "./plan-sorter.ts";

export function planText(manifest: SorterManifest): string {
  const blocks: string[] = [];
  for (const box of manifest.boxes) {
    box.conveyors.forEach((c, i) => blocks.push(`# Box ${box.box}, conveyor ${i + 1} of ${box.conveyors.length} (mode ${c.mode})\n${JSON.stringify(c.filter)}`));
  }
  manifest.overflow.forEach((c, i) => blocks.push(`# Overflow, conveyor ${i + 1} of ${manifest.overflow.length} in series (mode ${c.mode})\n${JSON.stringify(c.filter)}`));
  return `${blocks.join("\n\n")}\n`;
}

export function planAnswer(name: string, manifest: SorterManifest, footer: string | undefined): { embeds: APIEmbed[]; files: AttachmentBuilder[] } {
  const fields = manifest.boxes.slice(0, 24).map((b) => ({
    name: `Box ${b.box} — ${b.conveyors.length} conveyor${b.conveyors.length === 1 ? "" : "s"}`,
    value: b.targets.join(", ").slice(0, 1024),
  }));
  fields.push({ name: "Overflow", value: `${manifest.overflow.length} conveyor${manifest.overflow.length === 1 ? "" : "s"} in Not mode, in series, to the overflow box` });
  const file = new AttachmentBuilder(Buffer.from(planText(manifest)), { name: `${name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40) || "sorter"}-filters.txt` });
  return { embeds: [{ title: `Sorter plan “${name}”`, description: `${manifest.slotsPerBox} slots per box.`, fields, ...(footer && { footer: { text: footer } }) }], files: [file] };
}
