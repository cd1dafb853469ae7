// /shop track, list, untrack: the items a user follows on a server (TrackedShopItem), within their tier's
// `trackedShopItems` (counted per user across servers). The owner and guests of a server track their own items
// there; alerts (src/shop/track/alerts.ts) go to whoever tracked the item.
import type { ApplicationCommandOptionChoiceData, ChatInputCommandInteraction } from "discord.js";
import { z } from "zod";
import type { PrismaClient, TrackedShopItem, User } from "../../generated/prisma/client.ts";
import { allowance, OverLimitError, withinLimit } from "../../billing/entitlements.ts";
import { headOf } from "../../bot/fit-text.ts";
import { listPage } from "../../bot/list-reply.ts";
import { parseOptions } from "../../bot/options.ts";
import { plain } from "../../bot/plain-text.ts";
import type { BotContext, CommandResult } from "../../bot/types.ts";
import { UserError } from "../../errors.ts";
import { requireLinkedUser } from "../../identity/linked-user.ts";
import { noteServer } from "../../notes/note-access.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { findServerAccess } from "../../sharing/server-access.ts";
import { resolveItem } from "../../tools/items/find-item.ts";
import { itemsInStock, milliText, refuseOwnCurrency } from "../offers.ts";
import { compareUnitPrice } from "../unit-price.ts";
import type { SellOrder, VendingMachine } from "../types.ts";
import { offerPriceText } from "../track/format.ts";
import { matches } from "../track/match.ts";
import { parseMaxPrice } from "../track/max-price.ts";
import { itemNamesById } from "../../tools/items/item-names.ts";

type Who = Pick<User, "id" | "steamId">;
/** Rust's scrap (gamedata/items.json): the currency of a max price given without one. */
export const SCRAP_ITEM_ID = -932201673;
export const NOT_YOURS = "That is not one of your tracked items (it was untracked, or belongs to someone else). Pick one from the suggestions as you type in `tracked:`, or see `/shop list`.";

const serverId = z.string().regex(/^[a-z0-9]{1,40}$/, "Pick a server from the list.").optional();
const trackOptions = z.object({ item: z.string().max(100), "max-price": z.string().max(30).optional(), currency: z.string().max(100).optional(), server: serverId });

export async function shopTrack(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<CommandResult> {
  const opts = parseOptions(interaction, trackOptions);
  const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
  // Checked before anything is read or saved: a bad price changes nothing.
  const maxUnitPriceMilli = opts["max-price"] === undefined ? null : parseMaxPrice(opts["max-price"]);
  const item = await resolveItem(ctx.prisma, opts.item);
  const currency = opts.currency !== undefined ? await resolveItem(ctx.prisma, opts.currency) : null;
  refuseOwnCurrency(item, currency);
  const currencyItemId = currency?.id ?? (maxUnitPriceMilli !== null ? SCRAP_ITEM_ID : null);
  const { server, role } = await noteServer(ctx.prisma, user, opts.server);
  const data = { currencyItemId, maxUnitPriceMilli };
  const where = { pairedServerId_userId_itemId: { pairedServerId: server.id, userId: user.id, itemId: item.id } };
  // Re-tracking changes the rule without counting again; a new one must fit the tier.
  let existing = await ctx.prisma.trackedShopItem.findUnique({ where });
  if (existing) await ctx.prisma.trackedShopItem.update({ where, data });
  else {
    try {
      await withinLimit(ctx.prisma, ctx.config, user, "trackedShopItems", async (tx) => {
        await tx.trackedShopItem.upsert({ where, create: { pairedServerId: server.id, userId: user.id, itemId: item.id, ...data }, update: data });
      });
    } catch (err) {
      // The same item tracked twice at once with one place left: the other command took the place for this item.
      if (!(err instanceof OverLimitError) || !(existing = await ctx.prisma.trackedShopItem.findUnique({ where }))) throw err;
      await ctx.prisma.trackedShopItem.update({ where, data });
    }
  }
  const currencyName = currencyItemId === null ? null : currencyItemId === currency?.id ? currency.name : await itemName(ctx.prisma, currencyItemId);
  const used = await allowance(ctx.prisma, ctx.config, user, "trackedShopItems");
  const guest = role === "guest" ? " (a server shared with you: the alerts are yours)" : "";
  return {
    content:
      `${existing ? "Now tracking" : "Tracking"} **${plain(item.name)}** ${ruleText(data, currencyName)} on **${plain(serverLabel(server))}**${guest}. ` +
      `Alerts in #shop when it is offered, drops to your limit, is back in stock or is gone; offers there now are not alerted (see \`/shop list\`).\n` +
      `Tracked shop items: ${used.used} of ${used.limit} (${used.tier} tier).`,
    ephemeral: true,
  };
}

export async function shopList(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<CommandResult> {
  const opts = parseOptions(interaction, z.object({ server: serverId, page: z.number().int().min(1).max(100).optional() }));
  const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
  const server = opts.server ? (await noteServer(ctx.prisma, user, opts.server)).server : null;
  const rows = await ctx.prisma.trackedShopItem.findMany({ where: { userId: user.id, ...(server && { pairedServerId: server.id }) }, include: { pairedServer: true }, orderBy: [{ pairedServerId: "asc" }, { createdAt: "asc" }] });
  const used = await allowance(ctx.prisma, ctx.config, user, "trackedShopItems");
  const tail = `Tracked shop items: ${used.used} of ${used.limit} (${used.tier} tier).`;
  if (!rows.length) return { content: `You track no shop items${server ? ` on **${plain(serverLabel(server))}**` : ""} yet. Add one with \`/shop track\`.\n${tail}`, ephemeral: true };
  // Undefined: the user may not see the server's market now (a guest whose share was revoked keeps their rows, silent).
  const listings = new Map<string, VendingMachine[] | null | undefined>();
  for (const id of new Set(rows.map((r) => r.pairedServerId))) {
    const access = await findServerAccess(ctx.prisma, user, id);
    listings.set(id, access ? ((await ctx.shops.listing(id))?.machines ?? null) : undefined);
  }
  // The currencies the tracked items are offered for now (the best offer's is named), and the rules' own.
  const tracked = new Set(rows.map((r) => r.itemId));
  const offered = [...listings.values()].flatMap((ms) => ms?.flatMap((m) => m.orders.filter((o) => tracked.has(o.itemId)).map((o) => o.currencyId)) ?? []);
  const names = await itemNamesById(ctx.prisma, [...rows.flatMap((r) => [r.itemId, ...(r.currencyItemId === null ? [] : [r.currencyItemId])]), ...offered]);
  const lines: string[] = [];
  for (const row of rows) {
    const machines = listings.get(row.pairedServerId);
    const name = (id: number) => names.get(id) ?? `item ${id}`;
    const head = `**${plain(name(row.itemId))}** ${ruleText(row, row.currencyItemId === null ? null : name(row.currencyItemId))} — ${plain(serverLabel(row.pairedServer))}`;
    lines.push(`${head}: ${machines === undefined ? "no alerts: this server is no longer shared with you (`/shop untrack` it)" : bestText(row, machines, name)}`);
  }
  // An Overlord's 100 items do not fit one reply: pages, each saying how many are left and how to see them.
  const content = listPage({ head: "**Your tracked shop items**", lines, tail, page: opts.page ?? 1, next: (page, left) => `… and ${left} more (\`page: ${page}\`${server ? "" : " or narrow it with `server:`"})` });
  if (content === null) throw new UserError(`There is no page ${opts.page} of your ${rows.length} tracked item${rows.length === 1 ? "" : "s"}; see \`/shop list\` from the first page.`);
  return { content, ephemeral: true };
}

export async function shopUntrack(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<CommandResult> {
  const opts = parseOptions(interaction, z.object({ tracked: z.string().max(100) }));
  const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
  const id = opts.tracked.trim();
  // Only the user's own: another user's id, a stale one or any text reads the same, and nothing is deleted.
  const row = /^[a-z0-9]{1,40}$/.test(id) ? await ctx.prisma.trackedShopItem.findFirst({ where: { id, userId: user.id }, include: { pairedServer: true } }) : null;
  if (!row) throw new UserError(NOT_YOURS);
  const { count } = await ctx.prisma.trackedShopItem.deleteMany({ where: { id: row.id, userId: user.id } });
  if (!count) throw new UserError(NOT_YOURS);
  return { content: `Stopped tracking **${plain(await itemName(ctx.prisma, row.itemId))}** on **${plain(serverLabel(row.pairedServer))}**.`, ephemeral: true };
}

/** Autocomplete for `tracked:`: the user's tracked items (value = TrackedShopItem id) whose item name matches. */
export async function trackedChoices(prisma: PrismaClient, user: Who, query: string): Promise<ApplicationCommandOptionChoiceData[]> {
  const rows = await prisma.trackedShopItem.findMany({ where: { userId: user.id }, include: { pairedServer: true }, orderBy: { createdAt: "asc" }, take: 500 });
  const names = await itemNamesById(prisma, rows.flatMap((r) => [r.itemId, ...(r.currencyItemId === null ? [] : [r.currencyItemId])]));
  const q = query.trim().toLowerCase().slice(0, 100);
  const out: ApplicationCommandOptionChoiceData[] = [];
  for (const r of rows) {
    const name = names.get(r.itemId) ?? `item ${r.itemId}`;
    if (q && !name.toLowerCase().includes(q)) continue;
    const rule = ruleText(r, r.currencyItemId === null ? null : (names.get(r.currencyItemId) ?? `item ${r.currencyItemId}`));
    out.push({ name: headOf(`${name} ${rule} — ${serverLabel(r.pairedServer)}`, 100), value: r.id });
    if (out.length === 25) break;
  }
  return out;
}

/** "at or under 25 Scrap each", "in Scrap, any price", "any price". */
export function ruleText(row: Pick<TrackedShopItem, "currencyItemId" | "maxUnitPriceMilli">, currencyName: string | null): string {
  if (currencyName === null) return "at any price";
  return row.maxUnitPriceMilli === null ? `for ${currencyName}, any price` : `at or under ${milliText(row.maxUnitPriceMilli)} ${currencyName} each`;
}

/** The cheapest matching offer now, or what is offered over the limit, or why nothing is known. */
function bestText(row: TrackedShopItem, machines: VendingMachine[] | null, name: (id: number) => string): string {
  if (machines === null) return "no vending machines seen on this server yet";
  const tracked = { id: row.id, userId: row.userId, itemId: row.itemId, currencyItemId: row.currencyItemId, maxUnitPriceMilli: row.maxUnitPriceMilli };
  let best: SellOrder | undefined;
  let others = 0;
  for (const m of machines) {
    for (const o of m.orders) {
      if (o.itemId !== row.itemId || o.itemIsBlueprint || o.amountInStock <= 0 || o.quantity <= 0) continue;
      if (!matches(tracked, o)) {
        others++;
        continue;
      }
      // Any currency: the cheapest among offers in scrap first, as prices in different currencies do not compare.
      if (!best || (best.currencyId !== o.currencyId ? o.currencyId === SCRAP_ITEM_ID : compareUnitPrice({ cost: o.costPerItem, quantity: o.quantity }, { cost: best.costPerItem, quantity: best.quantity }) < 0)) best = o;
    }
  }
  if (best) return `best now ${offerPriceText(best, name(best.currencyId))}, ${itemsInStock(best).toLocaleString("en-US")} in stock`;
  return others ? `${others} offer${others === 1 ? "" : "s"} now, none within your rule` : "not offered now";
}

async function itemName(prisma: PrismaClient, id: number): Promise<string> {
  return (await prisma.item.findUnique({ where: { id }, select: { name: true } }))?.name ?? `item ${id}`;
}
