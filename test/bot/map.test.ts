// /map through the real clients: discord.js against the fake Discord, rustplus.js against the fake Rust+ server
// (whose getMap image is sized like a real one). The image is a PNG attachment with a button per layer; the
// buttons carry their state in the custom id and still work after a restart; the server's map image is asked for
// once per wipe, not once per image; someone without access to the server gets a clear answer.
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer, type TeamMember } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { steamId as newSteamId } from "../helpers/fixtures.ts";

const TOKEN = 4_242_424;
const BOB = newSteamId();

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let owner: ReturnType<FakeDiscord["createUser"]>;

const member = (id: string, name: string, x: number, y: number): TeamMember => ({ steamId: id, name, x, y, isOnline: true, spawnTime: 0, isAlive: true, deathTime: 0 });
const buttons = (message: APIMessage) =>
  (message.components as APIActionRowComponent<APIButtonComponentWithCustomId>[]).flatMap((row) => row.components);
const map = (options: Record<string, string>, user = owner) => fake.sendCommand({ guildId, name: "map", options, user });

/** Resolves once the bot is connected to the server and has read its info (after a start or a restart). */
function connected(): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const status = bot.ctx.rust.status(serverId);
      if (status?.state.kind === "connected" && status.snapshot) resolve();
    };
    bot.ctx.rust.on("snapshot", check);
    bot.ctx.rust.on("state", check);
    check();
  });
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Map team" }).id;
  bot = await startTestBot(fake);
  owner = fake.createUser();
  const user = await linkUser(bot.db.prisma, owner.id);
  rust = await FakeRustServer.start({
    players: [{ steamId: user.steamId, playerToken: TOKEN }],
    world: {
      team: { leaderSteamId: user.steamId, members: [member(user.steamId, "Alice", 1500, 1500), member(BOB, "Bob", 900, 2100)] },
      markers: [{ id: 7, type: 5, x: 2800, y: 400, rotation: 90 }, { id: 8, type: 3, x: 1510, y: 1490, name: "Shop", sellOrders: [] }],
    },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  await bot.db.prisma.mapNote.create({ data: { pairedServerId: serverId, category: "TAG", x: 2000, y: 1000, label: "Base" } });
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("/map", () => {
  it("answers with a deferred reply, then a PNG of the map with a button per layer", async () => {
    const handle = await map({ server: serverId });
    expect((await handle.response).type).toBe(5); // DeferredChannelMessageWithSource: acknowledged before rendering
    const reply = await handle.reply();
    expect(reply.ephemeral).toBe(false);
    expect(reply.content).toContain("Rustopia EU");
    expect(reply.attachments).toEqual([expect.objectContaining({ filename: "map.png", content_type: "image/png" })]);
    expect(reply.attachments[0]!.size).toBeGreaterThan(10_000);
    expect(reply.attachments[0]!.size).toBeLessThan(10 * 1024 * 1024); // the fake's attachment_size_limit
    expect(buttons(reply).map((b) => b.label)).toEqual(["Grid", "Monuments", "Team", "Notes", "Events", "Shops"]);
    // Each button shows the image with its layer switched: Grid on now, so its button turns it off.
    expect(buttons(reply)[0]!.custom_id).toBe(`map:${serverId}:011110`);
    expect(buttons(reply)[5]!.custom_id).toBe(`map:${serverId}:111111`);
  });

  it("asks the server for its map image once for the wipe, however many images are drawn", async () => {
    await map({ server: serverId, layers: "grid team" }).then((h) => h.reply());
    await map({ server: serverId, layers: "notes,events shops" }).then((h) => h.reply());
    expect(rust.requests["getMap"]).toBe(1);
    expect(await bot.db.prisma.mapImage.count({ where: { pairedServerId: serverId } })).toBe(1);
  });

  it("a layer button pressed after a restart draws the map with the layers its id names", async () => {
    const first = await map({ server: serverId, layers: "grid" }).then((h) => h.reply());
    const team = buttons(first).find((b) => b.label === "Team")!;
    expect(team.custom_id).toBe(`map:${serverId}:101000`);
    await bot.restart();
    await connected();
    const pressed = await fake.clickButton({ guildId, customId: team.custom_id, user: owner }).then((h) => h.reply());
    expect(pressed.content).toContain("grid, team");
    expect(pressed.attachments).toEqual([expect.objectContaining({ filename: "map.png", content_type: "image/png" })]);
    expect(buttons(pressed).find((b) => b.label === "Team")!.custom_id).toBe(`map:${serverId}:100000`);
    expect(rust.requests["getMap"]).toBe(1); // the stored image of this wipe, even in a new process
  });

  it("refuses a server the user has no access to, an unknown server and an unknown layer, and changes nothing", async () => {
    const stranger = fake.createUser();
    await linkUser(bot.db.prisma, stranger.id);
    const refused = await map({ server: serverId }, stranger).then((h) => h.reply());
    expect(refused.ephemeral).toBe(true);
    expect(refused.attachments).toEqual([]);
    expect(refused.content).toMatch(/no paired server yet|not one of your servers/i);
    const unknown = await map({ server: "nosuchserver" }).then((h) => h.reply());
    expect(unknown).toMatchObject({ ephemeral: true, attachments: [] });
    const badLayer = await map({ server: serverId, layers: "grid lasers" }).then((h) => h.reply());
    expect(badLayer.content).toContain("There is no layer `lasers`");
    const forged = await fake.clickButton({ guildId, customId: `map:${serverId}:1x`, user: owner }).then((h) => h.reply());
    expect(forged.content).toContain("not valid");
    const strangerButton = await fake.clickButton({ guildId, customId: `map:${serverId}:111111`, user: stranger }).then((h) => h.reply());
    expect(strangerButton.content).toContain("not shared with you");
  });
});
