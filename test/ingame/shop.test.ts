// !shop <item> in team chat against the fake Rust+ server: vending markers it sends become the market service's
// listing, and !shop answers the three cheapest offers in 128-character messages; unknown items and a server that
// sends no vending machines are answered plainly. /shop search of the live server shows no "as of".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OFFICIAL_2026_REPORTED_MARKERS, type Marker, type SellOrder } from "../fakes/rustplus/world.ts";
import { seedGameData } from "../../src/tools/seed-game-data.ts";
import { say, startHarness, type Harness } from "./harness.ts";

const SCRAP = -932201673;
const ROCKET = -742865266;
const SULFUR = -1581843485;

let h: Harness;

const order = (o: Partial<SellOrder> & Pick<SellOrder, "costPerItem">): SellOrder => ({ itemId: ROCKET, currencyId: SCRAP, quantity: 1, amountInStock: 5, itemIsBlueprint: false, currencyIsBlueprint: false, ...o });
const vending = (id: number, x: number, y: number, name: string, sellOrders: SellOrder[]): Marker => ({ id, type: 3, x, y, name, outOfStock: false, sellOrders });

/** The fake's markers as the bot's market sees them: a reconnect seeds the listing from one getMapMarkers answer. */
async function relist(markers: Marker[], reported?: readonly number[]): Promise<void> {
  h.game.setMarkers(markers);
  // The harness starts a server that reports every marker; a later game update changes what it sends.
  if (reported) (h.game.world as { reportedMarkers: ReadonlySet<number> }).reportedMarkers = new Set(reported);
  h.bot.ctx.rust.disconnect(h.serverId);
  await h.bot.ctx.rust.settled();
  const seeded = h.bot.events.seeded(h.serverId);
  await h.bot.ctx.rust.connect(h.serverId);
  await seeded;
  await h.bot.shops.settled();
}

beforeAll(async () => {
  h = await startHarness();
  await seedGameData(h.bot.db.prisma, h.bot.ctx.logger);
});
afterAll(async () => {
  await h?.close();
});

describe("!shop", () => {
  it("answers the three cheapest offers, scrap first, NPC shops marked, each message within 128 characters", async () => {
    await relist([
      vending(11, 1505, 1495, "Outpost", [order({ costPerItem: 300 })]),
      vending(12, 200, 2800, "Cheap rockets!!", [order({ costPerItem: 100, quantity: 3 }), order({ costPerItem: 1000, currencyId: SULFUR })]),
      vending(13, 2800, 200, "Mid", [order({ costPerItem: 140 }), order({ costPerItem: 1, amountInStock: 0 })]),
    ]);
    const answer = await say(h, h.bob, "!shop rocket");
    for (const message of answer) expect(message.length).toBeLessThanOrEqual(128);
    const text = answer.join(" | ");
    expect(text).toContain("Rocket: 4 offers");
    expect(text).not.toContain("as of");
    const cheap = text.indexOf("100 Scrap per 3 at ");
    const mid = text.indexOf("140 Scrap each at ");
    const npc = text.indexOf("300 Scrap each at ");
    expect(cheap).toBeGreaterThan(-1);
    expect(mid).toBeGreaterThan(cheap);
    expect(npc).toBeGreaterThan(mid);
    expect(text).toMatch(/300 Scrap each at \w+\d+ near Outpost \(NPC\), 5 left/);
    expect(text).not.toContain("Sulfur"); // the fourth offer
  });

  it("/shop search of the connected server shows the listing without \"as of\"", async () => {
    const reply = await h.fake.sendCommand({ guildId: h.guildId, name: "shop", subcommand: "search", options: { item: "ammo.rocket.basic" }, user: h.player }).then((r) => r.reply());
    expect(reply.content).toContain("4 offers");
    expect(reply.content).not.toContain("as of");
    expect(reply.content).toContain("near Outpost · NPC shop");
  });

  it("answers an unknown item and a missing argument plainly", async () => {
    expect(await say(h, h.bob, "!shop zzzzqq")).toEqual(["No item matches zzzzqq."]);
    expect((await say(h, h.bob, "!shop rocke")).join(" ")).toMatch(/^rocke could mean: .*Rocket \(ammo\.rocket\.basic\)/);
    expect(await say(h, h.bob, "!shop")).toEqual(["Usage: !shop <item>, e.g. !shop rocket"]);
    expect((await say(h, h.bob, "!help")).join(" ")).toContain("!shop <item>");
  });

  it("says so when the server sends no vending machines", async () => {
    await relist([], OFFICIAL_2026_REPORTED_MARKERS);
    const answer = (await say(h, h.bob, "!shop rocket")).join(" ");
    expect(answer).toContain("does not report vending machines");
    expect(answer).toContain("/shop mine");
  });
});
