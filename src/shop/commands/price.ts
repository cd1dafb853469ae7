// /shop price <item> [currency] [server]: the item's lowest listed unit price per UTC hour this wipe, from the price
// history (ShopPriceHour, src/shop/price-history.ts), as a chart PNG. Owners and guests may ask.
import { AttachmentBuilder, type ChatInputCommandInteraction } from "discord.js";
import type { BotContext, CommandResult } from "../../bot/types.ts";
import { plain } from "../../bot/plain-text.ts";
import { UserError } from "../../errors.ts";
import { requireLinkedUser } from "../../identity/linked-user.ts";
import { noteServer } from "../../notes/note-access.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { resolveItem } from "../../tools/items/find-item.ts";
import { refuseOwnCurrency, SCRAP_ITEM_ID, unitPriceText } from "../offers.ts";
import { renderPriceChart } from "../price-chart.ts";
import { itemNamesById } from "../../tools/items/item-names.ts";
import { notReported } from "../search-page.ts";
import { compareUnitPrice } from "../unit-price.ts";

export async function shopPrice(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<CommandResult> {
  const { prisma } = ctx;
  const user = await requireLinkedUser(prisma, interaction.user.id);
  const item = await resolveItem(prisma, interaction.options.getString("item") ?? "");
  const currencyText = interaction.options.getString("currency");
  const chosenCurrency = currencyText ? await resolveItem(prisma, currencyText) : null;
  refuseOwnCurrency(item, chosenCurrency);
  const { server } = await noteServer(prisma, user, interaction.options.getString("server") ?? undefined);
  const name = plain(serverLabel(server));

  // This wipe: the live server's, else the newest stored (older wipes' rows are pruned when a new one is seen).
  const liveWipe = ctx.rust.status(server.id)?.snapshot?.info.wipeTime;
  const newest = await prisma.shopPriceHour.findFirst({ where: { pairedServerId: server.id }, orderBy: { wipeAt: "desc" }, select: { wipeAt: true } });
  const wipeAt = liveWipe ? new Date(liveWipe * 1000) : newest?.wipeAt;
  const rows = wipeAt ? await prisma.shopPriceHour.findMany({ where: { pairedServerId: server.id, itemId: item.id, wipeAt }, orderBy: { hour: "asc" } }) : [];
  if (!rows.length) {
    const refusal = notReported(server, await ctx.shops.listing(server.id), name);
    if (refusal) return { content: refusal, ephemeral: true };
    return { content: `No vending machine on **${name}** has listed ${item.name} in stock this wipe, so there is no price to chart. Prices are kept per hour from the vending markers while the server is live.`, ephemeral: true };
  }

  // Per currency: the one asked for, else the one with the most listed hours (scrap on a tie).
  const hoursBy = new Map<number, number>();
  for (const r of rows) hoursBy.set(r.currencyId, (hoursBy.get(r.currencyId) ?? 0) + 1);
  const names = await itemNamesById(prisma, hoursBy.keys());
  const currencyId = chosenCurrency?.id ?? [...hoursBy].sort((a, b) => b[1] - a[1] || Number(b[0] === SCRAP_ITEM_ID) - Number(a[0] === SCRAP_ITEM_ID) || a[0] - b[0])[0]![0];
  const currency = chosenCurrency?.name ?? names.get(currencyId) ?? `item ${currencyId}`;
  const series = rows.filter((r) => r.currencyId === currencyId);
  if (!series.length) {
    const others = alsoListed([...hoursBy.keys()].map((id) => names.get(id) ?? `item ${id}`));
    throw new UserError(`${item.name} was not listed for ${currency} on **${name}** this wipe; it was for: ${others}.`);
  }

  const price = (r: { cost: number; quantity: number }) => ({ cost: r.cost, quantity: r.quantity });
  const lowest = series.reduce((a, b) => (compareUnitPrice(price(b), price(a)) < 0 ? b : a));
  const latest = series.at(-1)!;
  const png = await renderPriceChart(
    series.map((r) => ({ hour: r.hour.getTime(), value: r.cost / r.quantity })),
    `${item.name} on ${serverLabel(server)}: lowest listed price per hour (UTC)`,
    `${currency} per item`,
  );
  const at = (d: Date) => `<t:${Math.floor(d.getTime() / 1000)}:f>`;
  const otherCurrencies = [...hoursBy.keys()].filter((id) => id !== currencyId).map((id) => names.get(id) ?? `item ${id}`);
  const content = [
    `Lowest listed price of **${item.name}** in ${currency} per hour on **${name}** this wipe (${series.length} hour${series.length === 1 ? "" : "s"} with a listing).`,
    `Latest (hour of ${at(latest.hour)}): ${unitPriceText(price(latest), currency)}. Lowest this wipe: ${unitPriceText(price(lowest), currency)} (hour of ${at(lowest.hour)}).`,
    ...(otherCurrencies.length ? [`Also listed for: ${alsoListed(otherCurrencies)} (\`currency:\`).`] : []),
  ].join("\n");
  return { content, files: [new AttachmentBuilder(png, { name: "price.png" })], ephemeral: true };
}

/** The other currencies' names within about 1,000 characters, then how many more (a modded server may list hundreds). */
function alsoListed(names: readonly string[]): string {
  let text = "";
  for (const [i, name] of names.entries()) {
    const next = text ? `${text}, ${name}` : name;
    if (next.length > 1_000) return `${text} and ${names.length - i} more`;
    text = next;
  }
  return text;
}
