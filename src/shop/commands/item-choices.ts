// Autocomplete over the whole item catalog (gamedata/items.json, seeded into Item): /shop's item and currency.
import type { ApplicationCommandOptionChoiceData } from "discord.js";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { headOf } from "../../bot/fit-text.ts";
import { searchItems } from "../../tools/items/find-item.ts";

/** Up to 25 items best matching `query` (Discord's limit); the value is the shortname (resolveItem takes it back). */
export async function itemChoices(prisma: PrismaClient, query: string): Promise<ApplicationCommandOptionChoiceData[]> {
  const items = await searchItems(prisma, query, 25);
  return items.map((i) => ({ name: headOf(i.name, 100), value: i.shortname.slice(0, 100) }));
}
