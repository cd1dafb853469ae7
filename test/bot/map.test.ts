// /map through the real clients: discord.js against the fake Discord, rustplus.js against the fake Rust+ server
// (whose getMap image is sized like a real one). The image is a PNG attachment with a button per layer; the
// buttons carry their state in the custom id and still work after a restart; the server's map image is asked for
// once per wipe, not once per image; someone without access to the server gets a clear answer.
import { PermissionFlagsBits, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIMessage } from "discord.js";
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
const eventsChannel = () => fake.channels(guildId).find((c) => c.name === "events")!.id;
const livePosts = () => fake.messages(eventsChannel()).filter((m) => m.embeds[0]?.title?.startsWith("Map:"));
/** As if the last edit was three minutes ago (the 2-minute wait is the database's, not a timer's). */
const backdate = () => bot.db.prisma.liveMap.update({ where: { pairedServerId: serverId }, data: { editedAt: new Date(Date.now() - 180_000) } });
/**
 * A live-map look that got past the server's rate limit: a look whose read was refused ("unreadable": the server's
 * buckets, which outlive a bot restart as on a real server, ran dry) is repeated; the bot's budget, drained by the
 * refusal, makes the next read wait for the refill.
 */
async function settledTick(): Promise<string | undefined> {
  for (;;) {
    const outcome = (await bot.liveMaps.tick())[serverId];
    if (outcome !== "unreadable") return outcome;
  }
}
const live = (state: string, user = owner) => fake.sendCommand({ guildId, name: "map", subcommand: "live", options: { state, server: serverId }, user }).then((h) => h.reply());
const map = (options: Record<string, string>, user = owner) => fake.sendCommand({ guildId, name: "map", subcommand: "show", options, user });

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
      team: { leaderSteamId: user.steamId, members: [member(user.steamId, "Alice", 1500, 1500), member(BOB, "Bob", 900, 2100)], mapNotes: [{ type: 1, x: 2500, y: 2500 }] },
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
    // A server the bot is not connected to: the map comes from the server.
    await bot.db.prisma.pairedServer.update({ where: { id: serverId }, data: { live: false } });
    bot.ctx.rust.disconnect(serverId);
    const offline = await map({ server: serverId }).then((h) => h.reply());
    expect(offline).toMatchObject({ ephemeral: true, attachments: [], content: expect.stringContaining("/server connect") });
    await bot.db.prisma.pairedServer.update({ where: { id: serverId }, data: { live: true } });
    const back = connected();
    await bot.ctx.rust.connect(serverId);
    await back;
    const forged = await fake.clickButton({ guildId, customId: `map:${serverId}:1x`, user: owner }).then((h) => h.reply());
    expect(forged.content).toContain("not valid");
    const strangerButton = await fake.clickButton({ guildId, customId: `map:${serverId}:111111`, user: stranger }).then((h) => h.reply());
    expect(strangerButton.content).toContain("not shared with you");
  });
});

describe("/map live", () => {
  it("needs /setup's #events channel, and only the player who paired the server switches it", async () => {
    expect((await live("on")).content).toContain("run `/setup`");
    expect(await bot.db.prisma.liveMap.count()).toBe(0);
    await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: owner, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
    const guest = fake.createUser();
    await linkUser(bot.db.prisma, guest.id);
    expect((await live("on", guest)).content).toMatch(/no paired server yet|not one of your servers/i);
    expect(await bot.db.prisma.liveMap.count()).toBe(0);
  });

  it("posts the map once in #events, edits that message only when something moved, and carries on after a restart", async () => {
    const on = await live("on");
    expect(on).toMatchObject({ ephemeral: true, content: expect.stringContaining(`<#${eventsChannel()}>`) });
    await settledTick();
    expect(livePosts()).toHaveLength(1);
    const posted = livePosts()[0]!;
    expect(posted.embeds[0]!.image?.url).toBe("attachment://map.png");
    expect(posted.attachments).toEqual([expect.objectContaining({ filename: "map.png", content_type: "image/png" })]);

    // Within 2 minutes nothing is edited, whatever moves.
    rust.updateMember(BOB, { x: 1200 });
    expect(Object.values(await bot.liveMaps.tick())).not.toContain("edited");
    expect(livePosts()[0]!.edited_timestamp).toBeNull();

    // After 2 minutes: edited in place, the image replaced.
    await backdate();
    expect(await settledTick()).toBe("edited");
    const edited = livePosts();
    expect(edited).toHaveLength(1);
    expect(edited[0]!.id).toBe(posted.id);
    expect(edited[0]!.edited_timestamp).not.toBeNull();
    expect(edited[0]!.attachments).toHaveLength(1);
    expect(edited[0]!.attachments[0]!.id).not.toBe(posted.attachments[0]!.id);

    // 2 minutes on with nothing changed: no edit.
    await backdate();
    const stamp = livePosts()[0]!.edited_timestamp;
    expect(await settledTick()).toBe("same");
    expect(livePosts()[0]!.edited_timestamp).toBe(stamp);

    // A new process carries on with the same message.
    await bot.restart();
    await connected();
    rust.updateMember(BOB, { y: 1500 });
    await backdate();
    expect(await settledTick()).toBe("edited");
    expect(livePosts()).toHaveLength(1);
    expect(livePosts()[0]!.id).toBe(posted.id);
    expect(livePosts()[0]!.edited_timestamp).not.toBe(stamp);
  });

  it("off removes the message and stops the updates", async () => {
    expect((await live("off")).content).toContain("is off");
    expect(livePosts()).toHaveLength(0);
    expect(await bot.db.prisma.liveMap.count()).toBe(0);
    rust.updateMember(BOB, { x: 600 });
    expect(await bot.liveMaps.tick()).toEqual({});
    expect(livePosts()).toHaveLength(0);
  });
});

describe("a new wipe", () => {
  it("brings the new map image, asked for once, and /map draws it", async () => {
    const before = rust.requests["getMap"] ?? 0;
    const next = rust.world.info.wipeTime + 7 * 86_400;
    // A forced wipe that kept the pairing (a map change): the server restarts with a new wipe time and seed.
    const wiped = new Promise<void>((resolve) => bot.ctx.rust.on("snapshot", (id, s) => id === serverId && s.info.wipeTime === next && resolve()));
    await rust.restart(() => Object.assign(rust.world.info, { wipeTime: next, seed: 4242 }));
    await wiped;
    const reply = await map({ server: serverId }).then((h) => h.reply());
    expect(reply.attachments).toEqual([expect.objectContaining({ filename: "map.png" })]);
    await map({ server: serverId, layers: "grid" }).then((h) => h.reply());
    await bot.events.settled();
    expect(rust.requests["getMap"]).toBe(before + 1);
    expect((await bot.db.prisma.mapImage.findUniqueOrThrow({ where: { pairedServerId: serverId } })).wipeKey).toBe(`${next}-4242-3000`);
  });
});
