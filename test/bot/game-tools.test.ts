// /raid, /craft, /faq and /admin content|item through the real client and the fake Discord, on a database
// seeded as at start.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionFlagsBits, type APIEmbed } from "discord.js";
import { contentSeed } from "../../src/content/content-seed.ts";
import { embedLength } from "../../src/tools/conveyor/plan-answer.ts";
import { seedGameData } from "../../src/tools/seed-game-data.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let admin: ReturnType<FakeDiscord["createUser"]>;
const ADMIN = "76561190000000077";

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Tools" }).id;
  bot = await startTestBot(fake, { env: { ADMIN_STEAM_IDS: ADMIN } });
  await seedGameData(bot.db.prisma, bot.ctx.logger);
  admin = fake.createUser();
  fake.addMember(guildId, admin, PermissionFlagsBits.Administrator); // /admin is registered for Administrators only
  await bot.db.prisma.user.create({ data: { steamId: ADMIN, displayName: "Operator", accounts: { create: { provider: "discord", providerAccountId: admin.id } } } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

const run = async (init: Omit<Parameters<FakeDiscord["sendCommand"]>[0], "guildId">) => (await fake.sendCommand({ guildId, ...init })).reply();
const text = (reply: { content: string; embeds: unknown[] }) => reply.content + JSON.stringify(reply.embeds);

describe("game tools", () => {
  it("seeding at start is idempotent and keeps admin edits", async () => {
    const count = await bot.db.prisma.item.count();
    expect(count).toBeGreaterThan(1_100);
    await bot.db.prisma.item.update({ where: { id: -1581843485 }, data: { name: "Yellow dust" } });
    await seedGameData(bot.db.prisma, bot.ctx.logger);
    expect(await bot.db.prisma.item.count()).toBe(count);
    expect((await bot.db.prisma.item.findUniqueOrThrow({ where: { id: -1581843485 } })).name).toBe("Yellow dust");
    await bot.db.prisma.item.update({ where: { id: -1581843485 }, data: { name: "Sulfur" } });
    expect((await bot.db.prisma.contentStore.findMany()).map((r) => [r.key, r.version]).sort()).toEqual([["faq", 1], ["messages", 1], ["raid-table", 1], ["recipes", 1]]);
  });

  it("content still as an older seed wrote it follows the new seed file; content an admin set is kept", async () => {
    const recipes = await contentSeed("recipes");
    const messages = await contentSeed("messages");
    const old = { raw: ["sulfur"], recipes: [{ item: "gunpowder", amount: 10, workbench: 0, seconds: 5, ingredients: [{ item: "sulfur", amount: 20 }] }] };
    await bot.db.prisma.contentStore.update({ where: { key: "recipes" }, data: { value: old } });
    await bot.db.prisma.contentStore.update({ where: { key: "messages" }, data: { value: { "raid.footer": "house rules" }, updatedBy: ADMIN, version: 2 } });
    await seedGameData(bot.db.prisma, bot.ctx.logger);
    expect(await bot.db.prisma.contentStore.findUniqueOrThrow({ where: { key: "recipes" } })).toMatchObject({ version: 2, updatedBy: "seed", value: recipes });
    expect(await bot.db.prisma.contentStore.findUniqueOrThrow({ where: { key: "messages" } })).toMatchObject({ version: 2, value: { "raid.footer": "house rules" } });
    await bot.db.prisma.contentStore.update({ where: { key: "messages" }, data: { value: messages, updatedBy: "seed", version: 1 } });
  });

  it("/raid answers each explosive and the cheapest mix; autocomplete lists the targets", async () => {
    const reply = await run({ name: "raid", options: { target: "stone-wall" } });
    expect(reply.ephemeral).toBe(false);
    const body = text(reply);
    expect(body).toContain("Stone Wall (500 HP)");
    expect(body).toContain("C4: **2** — 4,400 sulfur");
    expect(body).toContain("Explosive 5.56 ammo: **200** — 5,000 sulfur");
    expect(body).toContain("Cheapest mix");
    const choices = await fake.autocomplete({ guildId, name: "raid", options: { target: "door" }, focused: "target" });
    expect(choices.map((c) => c.value)).toEqual(["wooden-door", "sheet-metal-door", "garage-door", "armored-door"]);
  });

  it("/raid a wooden wall: 250 HP, beancans and HV rockets counted, the cheapest mix, and the source in the footer", async () => {
    const reply = await run({ name: "raid", options: { target: "wooden-wall" } });
    const embed = reply.embeds[0] as { title: string; fields: { name: string; value: string }[]; footer: { text: string } };
    expect(embed.title).toBe("Wooden Wall (250 HP)");
    const alone = embed.fields[0]!.value;
    expect(alone).toContain("Beancan grenade: **13** — 1,560 sulfur");
    expect(alone).toContain("HV rocket: **8** — 1,600 sulfur");
    expect(alone).toContain("Explosive 5.56 ammo: **56** — 1,400 sulfur");
    expect(alone).toContain("F1 grenade: **59** — 3,540 sulfur");
    expect(embed.fields[1]!.value).toMatch(/\*\*[\d,]+ sulfur\*\*$/);
    expect(embed.footer.text).toContain("Counts: bobosneefdev/rust-items-json data/raid.json @0ca8f26");
    expect(text(await run({ name: "raid", options: { target: "Wooden Door" } }))).toContain("Wooden Door (200 HP)");
    const choices = await fake.autocomplete({ guildId, name: "raid", options: { target: "" }, focused: "target" });
    expect(choices.map((c) => c.value)).toEqual(expect.arrayContaining(["wooden-wall", "stone-wall", "metal-wall", "armored-wall", "high-external-stone-wall", "auto-turret"]));
  });

  it("/raid refuses unknown targets and out-of-range counts privately", async () => {
    const unknown = await run({ name: "raid", options: { target: "castle" } });
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.content).toContain("Unknown target");
    const huge = await run({ name: "raid", options: { target: "stone-wall", count: 10 ** 9 } });
    expect(huge.ephemeral).toBe(true);
    expect(huge.content).toContain("1 to 1000");
  });

  it("/craft a rocket: ingredients, workbench 3 and 1,400 sulfur; autocomplete and fuzzy names", async () => {
    const reply = await run({ name: "craft", options: { item: "ammo.rocket.basic" } });
    const body = text(reply);
    expect(body).toContain("1 × Rocket");
    expect(body).toContain("Sulfur: **1,400**");
    expect(body).toContain("workbench 3");
    expect(body).toContain("Explosives: 10");
    const byName = text(await run({ name: "craft", options: { item: "explosive 5.56", quantity: 3, mode: "batch" } }));
    expect(byName).toContain("3 × Explosive 5.56 Rifle Ammo");
    expect(byName).toContain("Left over");
    const choices = await fake.autocomplete({ guildId, name: "craft", options: { item: "rock" }, focused: "item" });
    expect(choices).toContainEqual({ name: "Rocket", value: "ammo.rocket.basic" });
    const none = await run({ name: "craft", options: { item: "sulfur" } });
    expect(none).toMatchObject({ ephemeral: true });
    expect(none.content).toContain("no recipe");
    expect((await run({ name: "craft", options: { item: "zzzz" } })).content).toContain("No item matches");
  });

  it("/craft gunpowder: workbench 1 and 2 s a craft of 10; items the old catalog lacked are named", async () => {
    const gunpowder = text(await run({ name: "craft", options: { item: "gunpowder" } }));
    expect(gunpowder).toContain("1 craft of 10, 2 s each; workbench 1 (whole tree: workbench 1)");
    const pistol = text(await run({ name: "craft", options: { item: "ammo.pistol", quantity: 8 } }));
    expect(pistol).toContain("2 crafts of 4");
    const arrows = text(await run({ name: "craft", options: { item: "Fire Arrow", quantity: 2 } }));
    expect(arrows).toContain("2 × Fire Arrow");
    expect(arrows).toContain("Low Grade Fuel: 10");
    expect(text(await run({ name: "craft", options: { item: "stash.small" } }))).toContain("1 craft of 1, 15 s each; no workbench");
  });

  it("/faq answers a topic; autocomplete on topics", async () => {
    const choices = await fake.autocomplete({ guildId, name: "faq", options: { topic: "raid" }, focused: "topic" });
    expect(choices).toEqual([{ name: "How much sulfur does a raid cost?", value: "raid-costs" }]);
    expect(text(await run({ name: "faq", options: { topic: "raid-costs" } }))).toContain("/raid target");
    expect((await run({ name: "faq", options: { topic: "nope" } })).content).toContain("No FAQ topic");
  });

  it("/admin content set validates, bumps the version and audits in the same write; bad input changes nothing", async () => {
    const faq = { topics: [{ id: "wipe", title: "When is wipe?", answer: "First Thursday of the month." }] };
    const saved = await run({ name: "admin", subcommand: "content set", user: admin, options: { key: "faq", json: JSON.stringify(faq) } });
    expect(saved.content).toBe("Saved **faq**, version 2.");
    const row = await bot.db.prisma.contentStore.findUniqueOrThrow({ where: { key: "faq" } });
    expect(row).toMatchObject({ version: 2, updatedBy: ADMIN, value: faq });
    expect(await bot.db.prisma.adminAudit.findFirst({ where: { action: "content.set" } })).toMatchObject({ actorSteamId: ADMIN, target: "faq", result: "version 2" });
    expect(text(await run({ name: "faq", options: { topic: "wipe" } }))).toContain("First Thursday");

    const audits = await bot.db.prisma.adminAudit.count();
    const bad = await run({ name: "admin", subcommand: "content set", user: admin, options: { key: "raid-table", json: '{"explosives":[],"targets":[]}' } });
    expect(bad.ephemeral).toBe(true);
    expect(bad.content).toContain("was not saved");
    expect((await run({ name: "admin", subcommand: "content set", user: admin, options: { key: "faq", json: "{not json" } })).content).toContain("not valid JSON");
    expect(await bot.db.prisma.adminAudit.count()).toBe(audits);
    expect((await bot.db.prisma.contentStore.findUniqueOrThrow({ where: { key: "raid-table" } })).version).toBe(1);

    const stranger = fake.createUser(); // a Discord administrator who is not one of the bot's operators
    fake.addMember(guildId, stranger, PermissionFlagsBits.Administrator);
    await linkUser(bot.db.prisma, stranger.id);
    expect((await run({ name: "admin", subcommand: "content set", user: stranger, options: { key: "faq", json: JSON.stringify(faq) } })).content).toContain("operators");
  });

  it("/admin item set|import|conveyor write the catalog with audit rows; clashes are refused", async () => {
    const set = await run({ name: "admin", subcommand: "item set", user: admin, options: { id: 123456, shortname: "Test.Item", name: "Test item", category: "Misc", stack_size: 5 } });
    expect(set.content).toContain("Added Test item (`test.item`, id 123456)");
    expect(await bot.db.prisma.item.findUnique({ where: { id: 123456 } })).toMatchObject({ shortname: "test.item", stackSize: 5 });
    const clash = await run({ name: "admin", subcommand: "item set", user: admin, options: { id: 654321, shortname: "sulfur", name: "X", category: "Misc", stack_size: 5 } });
    expect(clash.content).toContain("already belongs to item -1581843485");
    expect(await bot.db.prisma.item.findUnique({ where: { id: 654321 } })).toBeNull();

    const list = [{ id: 123456, shortname: "test.item", name: "Renamed", category: "Misc", stackSize: 10 }, { id: 123457, shortname: "test.other", name: "Other", category: "Tool", stackSize: 1 }];
    expect((await run({ name: "admin", subcommand: "item import", user: admin, options: { json: JSON.stringify(list) } })).content).toBe("Imported: 1 added, 1 edited.");
    const badList = await run({ name: "admin", subcommand: "item import", user: admin, options: { json: JSON.stringify([{ ...list[0], stackSize: 0 }]) } });
    expect(badList.content).toContain("Nothing was imported");

    const conveyor = await run({ name: "admin", subcommand: "item conveyor", user: admin, options: { shortname: "test.alias", item_id: 123456 } });
    expect(conveyor.content).toContain("→ Renamed");
    expect((await run({ name: "admin", subcommand: "item conveyor", user: admin, options: { shortname: "x", item_id: 1 } })).content).toContain("No item has id 1");
    const actions = (await bot.db.prisma.adminAudit.findMany({ where: { action: { startsWith: "item" } } })).map((a) => a.action);
    expect(actions).toEqual(["item.set", "item.import"]);
    expect(await bot.db.prisma.adminAudit.count({ where: { action: "conveyor-shortname.set", target: "test.alias" } })).toBe(1);

    const imported = await run({ name: "admin", subcommand: "item conveyor-import", user: admin, options: { json: JSON.stringify({ "alias.one": 123456, "alias.two": 123457 }) } });
    expect(imported.content).toBe("Imported 2 conveyor names.");
    expect(await bot.db.prisma.conveyorShortname.findUnique({ where: { shortname: "alias.two" } })).toMatchObject({ itemId: 123457 });
    const missing = await run({ name: "admin", subcommand: "item conveyor-import", user: admin, options: { json: JSON.stringify({ "alias.three": 123456, "alias.four": 42 }) } });
    expect(missing.content).toContain("no item has id 42");
    expect(await bot.db.prisma.conveyorShortname.findUnique({ where: { shortname: "alias.three" } })).toBeNull();
    expect(await bot.db.prisma.adminAudit.count({ where: { action: "conveyor-shortname.import" } })).toBe(1);
  });
});

describe("/conveyor", () => {
  it("plan opens a form; the form resolves items, aliases and categories, answers with the filters and saves them", async () => {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    const handle = await fake.sendCommand({ guildId, name: "conveyor", subcommand: "plan", user: player, options: { boxes: 2, slots: 48 } });
    const modal = (await handle.response) as { data: { custom_id: string } };
    expect(modal.data.custom_id).toBe("conveyor-plan:2:48");

    await bot.db.prisma.conveyorShortname.create({ data: { shortname: "rocket.alias", itemId: -742865266 } });
    const reply = await (await fake.submitModal({ guildId, user: player, customId: "conveyor-plan:2:48", fields: { items: "sulfur\nmetal.fragments, -1321651331\nAmmunition\nrocket", name: "main" } })).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.attachments[0]?.filename).toBe("main-filters.txt");
    const embeds = reply.embeds as { description?: string }[];
    expect(embeds[0]!.description).toContain("only that JSON line pastes");
    expect(embeds[0]!.description).toContain("hold **Shift**");
    expect(embeds[0]!.description).toContain("set the filter mode by hand");
    const saved = await bot.db.prisma.savedConveyorFilter.findUniqueOrThrow({ where: { userId_name: { userId: user.id, name: "main" } } });
    const manifest = saved.manifest as { boxes: { conveyors: { filter: { TargetItemName: string; TargetCategory: number | null; MaxAmountInOutput: number }[] }[] }[]; overflow: { mode: string }[] };
    const entries = manifest.boxes.flatMap((b) => b.conveyors.flatMap((c) => c.filter));
    expect(entries.map((e) => e.TargetItemName || e.TargetCategory)).toEqual(["sulfur", "metal.fragments", "ammo.rifle.explosive", "rocket.alias", 8]);
    // Box 1 holds three items: 16 of the 48 slots each.
    expect(entries[0]!.MaxAmountInOutput).toBe(1000 * 16);
    expect(manifest.overflow).toEqual([expect.objectContaining({ mode: "Not" })]);
    // One code block per conveyor (two boxes, one overflow), each headed with its mode and holding only its JSON line.
    const blocks = [...embeds.slice(1).map((e) => e.description).join("\n\n").matchAll(/\*\*(.+?)\*\*\n```json\n(.*)\n```/g)];
    expect(blocks.map((b) => b[1])).toEqual(["Box 1, conveyor 1 of 1 — mode Any", "Box 2, conveyor 1 of 1 — mode Any", "Overflow, conveyor 1 of 1 in series — mode Not"]);
    const conveyors = [...manifest.boxes.flatMap((b) => b.conveyors), ...manifest.overflow] as { filter: unknown }[];
    expect(blocks.map((b) => JSON.parse(b[2]!) as unknown)).toEqual(conveyors.map((c) => c.filter));

    const shown = await run({ name: "conveyor", subcommand: "show", user: player, options: { name: "main" } });
    expect(text(shown)).toContain("Box 2");
    expect(await fake.autocomplete({ guildId, name: "conveyor", subcommand: "show", user: player, options: { name: "ma" }, focused: "name" })).toEqual([{ name: "main", value: "main" }]);
  });

  it("a plan with many conveyors stays within Discord's limits: code blocks while they fit, the rest named and in the file", async () => {
    const player = fake.createUser();
    await linkUser(bot.db.prisma, player.id);
    const names = (await bot.db.prisma.item.findMany({ orderBy: { id: "asc" }, take: 150, select: { shortname: true } })).map((i) => i.shortname);
    const reply = await (await fake.submitModal({ guildId, user: player, customId: "conveyor-plan:3:48", fields: { items: names.join("\n"), name: "big" } })).reply();
    const embeds = reply.embeds as APIEmbed[];
    expect(embeds.length).toBeLessThanOrEqual(10);
    expect(embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6_000);
    for (const e of embeds) expect(e.description?.length ?? 0).toBeLessThanOrEqual(4_096);
    // 3 boxes of 50 (2 conveyors each) and 5 overflow conveyors: 30-entry conveyors are too long to show.
    expect(embeds[0]!.description).toContain("In the attached file only");
    expect(embeds[0]!.description).toContain("Box 1, conveyor 1 of 2");
    expect(reply.attachments[0]?.filename).toBe("big-filters.txt");
  });

  it("unknown items, a damaged form and missing plans are clear errors, and nothing is saved", async () => {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    const bad = await (await fake.submitModal({ guildId, user: player, customId: "conveyor-plan:2:48", fields: { items: "sulfur\nunobtainium\nmetal", name: "x" } })).reply();
    expect(bad.ephemeral).toBe(true);
    expect(bad.content).toContain("Nothing was planned");
    expect(bad.content).toContain("unobtainium");
    expect(bad.content).toContain("could mean");
    const damaged = await (await fake.submitModal({ guildId, user: player, customId: "conveyor-plan:999:48", fields: { items: "sulfur", name: "x" } })).reply();
    expect(damaged.content).toContain("damaged");
    expect(await bot.db.prisma.savedConveyorFilter.count({ where: { userId: user.id } })).toBe(0);
    expect((await run({ name: "conveyor", subcommand: "show", user: player, options: { name: "nope" } })).content).toContain("no saved sorter plan");
  });
});

describe("fuzzed game tools, as an operator too", () => {
  const str = fc.string({ unit: "grapheme", maxLength: 100 });
  const int = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });
  const invocation = fc.oneof(
    fc.record({ name: fc.constant("raid"), options: fc.record({ target: fc.oneof(str, fc.constant("stone-wall")), count: int }, { requiredKeys: ["target"] }) }),
    fc.record({ name: fc.constant("craft"), options: fc.record({ item: fc.oneof(str, fc.constant("rocket")), quantity: int, mode: fc.constantFrom("amortised", "batch") }, { requiredKeys: ["item"] }) }),
    fc.record({ name: fc.constant("faq"), options: fc.record({ topic: str }, { requiredKeys: [] }) }),
    fc.record({ name: fc.constant("admin"), subcommand: fc.constant("content set"), options: fc.record({ key: fc.constantFrom("faq", "recipes", "raid-table", "messages", "nope"), json: fc.oneof(str, fc.json()) }) }),
    fc.record({ name: fc.constant("admin"), subcommand: fc.constant("item set"), options: fc.record({ id: int, shortname: str, name: str, category: fc.constantFrom("Misc", "Tool"), stack_size: int }) }),
    fc.record({ name: fc.constant("admin"), subcommand: fc.constant("item import"), options: fc.record({ json: fc.oneof(str, fc.json()) }) }),
    fc.record({ name: fc.constant("admin"), subcommand: fc.constant("item conveyor"), options: fc.record({ shortname: str, item_id: int }) }),
    fc.record({ name: fc.constant("admin"), subcommand: fc.constant("item conveyor-import"), options: fc.record({ json: fc.oneof(str, fc.json()) }) }),
  );

  it("always answers, never fails unexpectedly", async () => {
    await fc.assert(
      fc.asyncProperty(invocation, async (init) => {
        const reply = await run({ ...init, user: admin });
        expect(reply.content.length + reply.embeds.length).toBeGreaterThan(0);
        expect(bot.logs.filter((l) => l["msg"] === "interaction failed")).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
