// A sorter plan for people: a summary embed that says how to paste, one code block per conveyor (as many as
// Discord lets one message carry), and a text file with every conveyor's filter.
//
// In game only the filter's JSON line pastes (open the conveyor's filter, hold Shift and press Paste); the
// mode (Any, Not) is not part of it and is set by hand. So each block holds only that line, and the mode is in
// its heading. Discord's limits: 4,096 characters an embed description, 6,000 over a message's embeds, 10
// embeds. A 30-entry conveyor is about 4,800 characters, so the long ones (and any beyond the limits) are
// named and left to the file.
import { AttachmentBuilder, type APIEmbed } from "discord.js";
import type { ConveyorPlan, SorterManifest } from "./plan-sorter.ts";

export const HOW_TO_PASTE =
  "For each conveyor: copy the line in its code block (only that JSON line pastes), open the conveyor's filter in game, hold **Shift** and press **Paste**. " +
  "Then set the filter mode by hand as its heading says: the paste does not carry the mode.";

const DESCRIPTION = 4_096;
const MESSAGE_EMBEDS = 6_000;
const MAX_EMBEDS = 10;
/** Kept free in the summary for the note naming the conveyors left to the file. */
const NOTE_ROOM = 600;

export interface ConveyorBlock {
  /** "Box 2, conveyor 1 of 2 — mode Any". */
  heading: string;
  /** The filter as the game pastes it: one line of JSON. */
  json: string;
}

export function conveyorBlocks(manifest: SorterManifest): ConveyorBlock[] {
  const block = (where: string, c: ConveyorPlan): ConveyorBlock => ({ heading: `${where} — mode ${c.mode}`, json: JSON.stringify(c.filter) });
  return [
    ...manifest.boxes.flatMap((box) => box.conveyors.map((c, i) => block(`Box ${box.box}, conveyor ${i + 1} of ${box.conveyors.length}`, c))),
    ...manifest.overflow.map((c, i) => block(`Overflow, conveyor ${i + 1} of ${manifest.overflow.length} in series`, c)),
  ];
}

export function planText(manifest: SorterManifest): string {
  const head = `# ${HOW_TO_PASTE.replace(/\*\*/g, "")}\n# Lines starting with # are headings: do not paste them.`;
  return `${[head, ...conveyorBlocks(manifest).map((b) => `# ${b.heading}\n${b.json}`)].join("\n\n")}\n`;
}

const shown = (b: ConveyorBlock) => `**${b.heading}**\n\`\`\`json\n${b.json}\n\`\`\``;

/** What Discord counts towards an embed's 6,000 characters. */
export function embedLength(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

export function planAnswer(name: string, manifest: SorterManifest, footer: string | undefined): { embeds: APIEmbed[]; files: AttachmentBuilder[] } {
  const fields = manifest.boxes.slice(0, 24).map((b) => ({
    name: `Box ${b.box} — ${b.conveyors.length} conveyor${b.conveyors.length === 1 ? "" : "s"}`,
    value: b.targets.join(", ").slice(0, 1024),
  }));
  fields.push({ name: "Overflow", value: `${manifest.overflow.length} conveyor${manifest.overflow.length === 1 ? "" : "s"} in Not mode, in series, to the overflow box` });
  const summary: APIEmbed = { title: `Sorter plan “${name}”`.slice(0, 256), description: `${manifest.slotsPerBox} slots per box.\n${HOW_TO_PASTE}`, fields, ...(footer && { footer: { text: footer.slice(0, 2048) } }) };
  // Fields give way to the code blocks: the same targets are in the blocks and the file.
  while (embedLength(summary) + NOTE_ROOM > MESSAGE_EMBEDS / 2 && fields.length > 1) fields.splice(-2, 1);

  // Blocks in order, packed into descriptions, until the message is full; the rest go to the file only.
  let room = MESSAGE_EMBEDS - embedLength(summary) - NOTE_ROOM;
  const pages: string[] = [];
  const left: ConveyorBlock[] = [];
  for (const b of conveyorBlocks(manifest)) {
    const text = shown(b);
    const last = pages.length - 1;
    if (left.length === 0 && last >= 0 && pages[last]!.length + 2 + text.length <= DESCRIPTION && text.length + 2 <= room) {
      pages[last] += `\n\n${text}`;
      room -= text.length + 2;
    } else if (left.length === 0 && pages.length + 1 < MAX_EMBEDS && text.length <= DESCRIPTION && text.length <= room) {
      pages.push(text);
      room -= text.length;
    } else left.push(b);
  }
  if (left.length) {
    const names: string[] = [];
    for (const b of left) if (names.join("; ").length < NOTE_ROOM - 150) names.push(b.heading.replace(/ — mode \w+$/, ""));
    const more = left.length - names.length;
    summary.description += `\n\nIn the attached file only (too long for one Discord message): ${names.join("; ")}${more ? `; and ${more} more` : ""}.`;
  }
  const file = new AttachmentBuilder(Buffer.from(planText(manifest)), { name: `${name.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40) || "sorter"}-filters.txt` });
  return { embeds: [summary, ...pages.map((description) => ({ description }))], files: [file] };
}
