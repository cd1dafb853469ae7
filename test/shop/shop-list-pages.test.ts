// /shop list of an Overlord's 100 tracked items on one server: more than one reply holds, so it pages (`page:`), each
// page within Discord's 2,000 characters and saying how many are left; every item is on exactly one page; a page past
// the end gets a sentence. discord.js against the fake Discord.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let owner: ReturnType<FakeDiscord["createUser"]>;
let names: string[];

const list = (options: Record<string, string | number> = {}) => fake.sendCommand({ guildId, name: "shop", subcommand: "list", options, user: owner }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "List team" }).id;
  bot = await startTestBot(fake);
  await seedItems(bot.db.prisma);
  owner = fake.createUser();
  const user = await linkUser(bot.db.prisma, owner.id);
  const server = await bot.db.prisma.pairedServer.create({
    data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: 28083, playerSteamId: user.steamId, playerToken: Buffer.from("x"), playerTokenKeyVersion: 1 },
  });
  const items = await bot.db.prisma.item.findMany({ orderBy: { name: "desc" }, take: 100, select: { id: true, name: true } });
  names = items.map((i) => i.name);
  for (const [i, item] of items.entries()) {
    await bot.db.prisma.trackedShopItem.create({ data: { pairedServerId: server.id, userId: user.id, itemId: item.id, maxUnitPriceMilli: 1_000_000 + i, createdAt: new Date(Date.UTC(2026, 10, 1) + i * 1000) } });
  }
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("/shop list with 100 tracked items", () => {
  it("pages them, every item on one page, each page fitting a reply and counting what is left", async () => {
    const seen: string[] = [];
    let page = 1;
    for (; page <= 100; page++) {
      const reply = await list(page === 1 ? {} : { page });
      const content = reply.content!;
      expect(content.length).toBeLessThanOrEqual(2_000);
      expect(content).not.toContain("…**");
      expect(content.split("\n")[0]).toBe(page === 1 ? "**Your tracked shop items**" : `**Your tracked shop items** (page ${page})`);
      for (const line of content.split("\n")) {
        const name = /^\*\*(.+?)\*\* /.exec(line)?.[1];
        if (name && !line.startsWith("**Your")) seen.push(name.replace(/\\(.)/g, "$1"));
      }
      const more = /… and (\d+) more \(`page: (\d+)` or narrow it with `server:`\)/.exec(content);
      if (!more) break;
      expect(Number(more[2])).toBe(page + 1);
      expect(Number(more[1])).toBe(100 - seen.length);
    }
    expect(page).toBeGreaterThan(1);
    expect(seen).toEqual(names);
    expect((await list({ page: page + 1 })).content).toBe(`There is no page ${page + 1} of your 100 tracked items; see \`/shop list\` from the first page.`);
  });
});
