// /genes through the real client and the fake Discord: solve (inline and through the form), bad genomes,
// progress on a long run, the save button, and reopening saved batches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatGenome } from "../../src/tools/genetics/genome.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let channelId: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const guild = fake.createGuild({ name: "Farm" });
  guildId = guild.id;
  channelId = guild.createChannel({ name: "farming" }).id;
  bot = await startTestBot(fake, { deferAfterMs: 50 });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

type Handle = Awaited<ReturnType<FakeDiscord["sendCommand"]>>;
interface Answer { id?: string; content?: string; embeds?: { description?: string }[]; components?: unknown[]; ephemeral?: boolean }
/** The handler's answer: the reply, or after a defer the edit that is not a progress line. */
async function answer(handle: Handle): Promise<Answer> {
  // A button deferred as an update answers with a follow-up.
  if ((await handle.response).type === 6) return (await handle.nextFollowup()) as Answer;
  const first = (await handle.reply()) as Answer;
  if (!/^Solving…/.test(first.content ?? "")) return first;
  for (;;) {
    const edit = (await handle.nextEdit()) as Answer;
    if (!/^Solving…/.test(edit.content ?? "")) return { ...edit, id: first.id ?? "" };
  }
}
const command = (options: Record<string, string | number | boolean>, subcommand = "solve", user?: ReturnType<FakeDiscord["createUser"]>) =>
  fake.sendCommand({ guildId, channelId, name: "genes", subcommand, options, ...(user && { user }) });

const POOL = "GGGXXX, XXXYYY\nGGGWWW wwwyyy";
const buttons = (m: Answer) =>
  (m.components ?? []).flatMap((row) => ((row as { components?: { custom_id?: string }[] }).components ?? []).map((c) => c.custom_id ?? ""));

describe("/genes", () => {
  it("solves a pasted pool: the best genome, its chance, recipe and planter, and a save button", async () => {
    const reply = await answer(await command({ clones: POOL, sources: 4 }));
    const description = reply.embeds?.[0]?.description ?? "";
    expect(description).toContain("**1. GGGYYY** · score 6 · 100 %");
    expect(description).toContain("GGGXXX + GGGWWW + XXXYYY + WWWYYY → any centre");
    expect(description).toContain("GGGXXX ······ GGGWWW\n······ centre ······\nXXXYYY ······ WWWYYY");
    expect(description).toContain("```pool\nGGGXXX XXXYYY GGGWWW WWWYYY\n```");
    expect(buttons(reply)).toEqual(["genes:save:4:1:1:1_1_0.5_0_0"]);
  });

  it("shows each chance as an exact fraction: ties in different slots are linked by the one order of the neighbours", async () => {
    const reply = await answer(await command({ clones: "GXXGGG HYYGGG HWYGGG GGGGGG", sources: 4, repeats: false, centre: false }));
    const description = reply.embeds?.[0]?.description ?? "";
    // HYYGGG + GGGGGG tie in three slots: one or the other whole, never a mix (not 1 in 8).
    expect(description).toContain("**1. GGGGGG** · score 6 · 1 in 2 (50.0 %)\nGGGGGG + HYYGGG → any centre");
    expect(description).toContain("**4. GXYGGG** · score 5 · 3 in 8 (37.5 %)\n");
  });

  it("names the bad genomes, and refuses bad settings", async () => {
    const bad = await answer(await command({ clones: "GGGYYY GGQ hello" }));
    expect(bad.content).toContain("`GGQ`, `hello`");
    const many = await answer(await command({ clones: Array(201).fill("GGGYYY").join(" ") }));
    expect(many.content).toContain("Too many clones: 201");
    const sources = await answer(await command({ clones: "GGGYYY", sources: 12 }));
    expect(sources.content).toContain("must be 2 … 8");
  });

  it("opens a form without clones and solves what is pasted in it, with the settings of the command", async () => {
    const open = await command({ sources: 2, repeats: false, y: 2 });
    const modal = (await open.response) as { type: number; data: { custom_id: string } };
    expect(modal.type).toBe(9);
    expect(modal.data.custom_id).toBe("genes:solve:2:0:1:1_2_0.5_0_0");
    const reply = await answer(await fake.submitModal({ guildId, channelId, customId: modal.data.custom_id, fields: { clones: "GGGGYH GGGHGY XXXYYY" } }));
    expect(reply.embeds?.[0]?.description).toContain("**1. GGGYYY** · score 9 · 100 %\nGGGHGY + GGGGYH → centre XXXYYY");
    const bad = await answer(await fake.submitModal({ guildId, channelId, customId: modal.data.custom_id, fields: { clones: "GGGGYH oops" } }));
    expect(bad.content).toContain("`oops`");
  });

  it("shows progress on a long run, then the answer", async () => {
    const clones = Array.from({ length: 45 }, (_, i) => formatGenome((i * 7_919 + 101) % 15_625)).join(" ");
    const handle = await command({ clones, sources: 8 });
    expect((await handle.response).type).toBe(5);
    const reply = await answer(handle);
    const edits = handle.edits as Answer[];
    expect(edits.some((e) => /^Solving… \d+ %$/.test(e.content ?? ""))).toBe(true);
    expect(reply.content).toBe("");
    expect(reply.embeds?.[0]?.description).toContain("**1. ");
  }, 60_000);

  it("saves a batch with the button, lists it and reopens it; unlinked users are told to link", async () => {
    const player = fake.createUser();
    const user = await linkUser(bot.db.prisma, player.id);
    const solved = await answer(await command({ clones: POOL, sources: 4 }, "solve", player));
    const [save = ""] = buttons(solved);

    const stranger = await answer(await fake.clickButton({ guildId, channelId, customId: save, messageId: solved.id ?? "", user: fake.createUser() }));
    expect(stranger.content).toContain("/link");

    const saved = await answer(await fake.clickButton({ guildId, channelId, customId: save, messageId: solved.id ?? "", user: player }));
    expect(saved.content).toMatch(/^Saved as “GGGYYY from 4 clones/);
    const row = await bot.db.prisma.savedGeneBatch.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.clones).toEqual(["GGGXXX", "XXXYYY", "GGGWWW", "WWWYYY"]);
    expect(row.weights).toEqual({ G: 1, Y: 1, H: 0.5, W: 0, X: 0 });

    const list = await answer(await command({}, "saved", player));
    expect(list.content).toContain("GGGYYY from 4 clones");
    const choices = await fake.autocomplete({ guildId, name: "genes", subcommand: "saved", options: { open: "ggg" }, focused: "open", user: player });
    expect(choices).toEqual([{ name: row.name, value: row.id }]);
    const reopened = await answer(await command({ open: row.id }, "saved", player));
    expect(reopened.embeds?.[0]?.description).toContain("**1. GGGYYY** · score 6 · 100 %");
    const other = await answer(await command({ open: row.id }, "saved", fake.createUser()));
    expect(other.content).toContain("/link");
  });

  it("breeds towards a target over generations and lists the crossbreeds in order", async () => {
    const options = { clones: "YGGGGY GYYYHY YHXXWG WYGGYW", sources: 3, centre: false, target: "yyyggg" };
    const reply = await answer(await command(options));
    const description = reply.embeds?.[0]?.description ?? "";
    expect(description).toContain("YYYGGG (any order) in 2 generations, 3 crossbreeds; chance of the whole path 1 in 9 (11.11 %).");
    expect(description).toContain("**1. Generation 1: WYGGGY** · 1 in 3 (33.3 %)\nYGGGGY + GYYYHY + WYGGYW → any centre");
    expect(description).toContain("**3. Generation 2: YYGGGY** · 100 %\nYGGGGY + WYGGGY + YYGGWW → any centre");
    const none = await answer(await command({ ...options, generations: 1 }));
    expect(none.embeds?.[0]?.description).toContain("YYYGGG cannot be bred within 1 generation");
    const bad = await answer(await command({ ...options, target: "GGGYYQ" }));
    expect(bad.content).toContain("`target`: must be six letters");

    const open = await command({ sources: 3, centre: false, target: "GGGYYY", generations: 2 });
    const modal = (await open.response) as { data: { custom_id: string } };
    expect(modal.data.custom_id).toBe("genes:solve:3:1:0:1_1_0.5_0_0:GGGYYY:2");
    const form = await answer(await fake.submitModal({ guildId, channelId, customId: modal.data.custom_id, fields: { clones: options.clones } }));
    expect(form.embeds?.[0]?.description).toContain("GGGYYY (any order) in 2 generations");
  });
});
