// A bot without Stripe (self-hosted) through the real discord.js client and the fake Discord: every user has
// SELF_HOSTED_TIER, the commands that need billing say it is off, and no answer points to one of them.
// With Stripe configured, nothing changes: a user without a subscription is on the free tier.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer, steamId } from "../helpers/fixtures.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

const OFF = "Billing is not enabled on this bot, so there is nothing to buy: /account shows your tier and limits.";
const PAID = /\/subscribe|\/billing|\/credits buy|[Uu]pgrade/;

/** A bot on its own fake Discord, with one guild; `run` sends a command as `user` and returns the reply. */
function harness(env: Record<string, string>) {
  const h = {} as { discord: FakeDiscord; bot: TestBot; guildId: string };
  beforeAll(async () => {
    h.discord = await FakeDiscord.start();
    h.guildId = h.discord.createGuild({ name: "Self-hosted" }).id;
    h.bot = await startTestBot(h.discord, { env });
  });
  afterAll(async () => {
    await h.bot?.stop();
    await h.discord?.close();
  });
  const run = async (init: Omit<Parameters<FakeDiscord["sendCommand"]>[0], "guildId">) => (await h.discord.sendCommand({ guildId: h.guildId, ...init })).reply();
  const linked = async () => {
    const user = h.discord.createUser();
    return { user, row: await linkUser(h.bot.db.prisma, user.id) };
  };
  return Object.assign(h, { run, linked });
}

describe("a self-hosted bot (no STRIPE_SECRET_KEY, default SELF_HOSTED_TIER)", () => {
  // Two guests a server on the top tier here, so the third shows a refusal.
  const h = harness({ TIER_LIMITS: '{"OVERLORD":{"guestsPerServer":2}}' });
  const fakes: FakeRustServer[] = [];
  afterAll(async () => {
    for (const f of fakes) await f.close();
  });

  it("gives every user the top tier, and /account says it comes from self-hosting", async () => {
    const { user } = await h.linked();
    const account = (await h.run({ name: "account", user })).embeds[0];
    expect(account?.title).toBe("OVERLORD (self-hosted)");
    expect(account?.description).toContain("self-hosted without billing");
    expect(JSON.stringify(account)).toContain("paired servers live at once: 0 of 10");
    expect(JSON.stringify(account)).toContain("billing not enabled on this bot");
  });

  it("connects more than one server live at once", async () => {
    const { user, row } = await h.linked();
    const states = new Log<{ serverId: string; state: ConnectionState }>();
    h.bot.ctx.rust.on("state", (serverId, state) => states.push({ serverId, state }));
    const ids: string[] = [];
    for (const [i, name] of ["North", "South"].entries()) {
      const fake = await FakeRustServer.start({ players: [{ steamId: row.steamId, playerToken: 40 + i }] });
      fakes.push(fake);
      const sealed = h.bot.ctx.secrets.seal("PairedServer.playerToken", String(40 + i));
      const server = await h.bot.db.prisma.pairedServer.create({
        data: { userId: row.id, serverName: name, ip: "127.0.0.1", port: fake.port, playerSteamId: row.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion },
      });
      ids.push(server.id);
      const reply = await h.run({ name: "server", subcommand: "connect", options: { server: server.id }, user });
      expect(reply.content).toBe(`Connecting to ${name}. Its card in the status channel shows when it is live.`);
    }
    for (const id of ids) await states.waitFor((e) => e.serverId === id && e.state.kind === "connected");
    expect(await h.bot.db.prisma.pairedServer.count({ where: { userId: row.id, live: true } })).toBe(2);
    expect((await h.run({ name: "server", subcommand: "list", user })).content).toContain("Live: 2 of 10 (OVERLORD tier).");
    await h.bot.ctx.rust.settled();
  });

  it("adds guests, and a refusal at the limit points to no command that cannot work", async () => {
    const { user, row } = await h.linked();
    const server = await createServer(h.bot.db.prisma, row.id);
    for (let i = 0; i < 2; i++) {
      const added = await h.run({ name: "share", subcommand: "add", options: { server: server.id, steam_id: steamId() }, user });
      expect(added.content).toContain("they can now use this server");
    }
    const refused = await h.run({ name: "share", subcommand: "add", options: { server: server.id, steam_id: steamId() }, user });
    expect(refused.content).toBe(
      "Your OVERLORD tier allows 2 guests per paired server and you have 2. On this self-hosted bot the operator sets the tier (SELF_HOSTED_TIER) and its limits (TIER_LIMITS).",
    );
    expect(refused.content).not.toMatch(PAID);
  });

  it("/subscribe, /credits and /billing say billing is not enabled, privately, also to a user who has not linked", async () => {
    const { user } = await h.linked();
    const stranger = h.discord.createUser();
    for (const who of [user, stranger]) {
      for (const init of [{ name: "subscribe", options: { tier: "OPERATOR" } }, { name: "credits", subcommand: "buy", options: { pack: "small" } }, { name: "billing" }]) {
        expect(await h.run({ ...init, user: who }), init.name).toMatchObject({ ephemeral: true, content: OFF });
      }
    }
    // /credits balance works here too: the quota and the credits a user has, and that none can be bought.
    const balance = await h.run({ name: "credits", subcommand: "balance", user });
    expect(balance).toMatchObject({ ephemeral: true, content: expect.stringContaining("You have **0** credits.") });
    expect(balance.content).toContain("BattleMetrics look-ups today: **0/1000** (OVERLORD tier;");
    expect(balance.content).toContain("Credits cannot be bought on this self-hosted bot");
    expect(balance.content).not.toMatch(PAID);
  });

  it("/help and /faq list no command that needs billing", async () => {
    const { user } = await h.linked();
    const help = (await h.run({ name: "help", user })).embeds[0]?.description ?? "";
    expect(help).toContain("**/account**");
    expect(help).toContain("**/credits balance**");
    expect(help).not.toMatch(PAID);
    const faq = (await h.run({ name: "faq", options: { topic: "tiers" }, user })).embeds[0]?.description ?? "";
    expect(faq).toContain("/account");
    expect(faq).not.toMatch(/\/subscribe|\/billing|\/credits buy/);
  });
});

describe("a self-hosted bot with SELF_HOSTED_TIER=operator", () => {
  const h = harness({ SELF_HOSTED_TIER: "operator" });

  it("gives OPERATOR's limits, and refuses a fourth live server without pointing to /subscribe", async () => {
    const { user, row } = await h.linked();
    const account = (await h.run({ name: "account", user })).embeds[0];
    expect(account?.title).toBe("OPERATOR (self-hosted)");
    expect(JSON.stringify(account)).toContain("paired servers live at once: 0 of 3");
    expect(JSON.stringify(account)).toContain("guests per paired server: up to 5");
    for (let i = 0; i < 3; i++) await h.bot.db.prisma.pairedServer.update({ where: { id: (await createServer(h.bot.db.prisma, row.id)).id }, data: { live: true } });
    const fourth = await createServer(h.bot.db.prisma, row.id);
    const refused = await h.run({ name: "server", subcommand: "connect", options: { server: fourth.id }, user });
    expect(refused).toMatchObject({
      ephemeral: true,
      content: "Your OPERATOR tier allows 3 paired servers live at once and you have 3. On this self-hosted bot the operator sets the tier (SELF_HOSTED_TIER) and its limits (TIER_LIMITS).",
    });
    expect((await h.bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: fourth.id } })).live).toBe(false);
  });
});

describe("a hosted bot (STRIPE_SECRET_KEY set)", () => {
  // SELF_HOSTED_TIER is ignored once billing is on.
  const h = harness({ STRIPE_SECRET_KEY: "sk_test_hosted", SELF_HOSTED_TIER: "OVERLORD" });

  it("keeps a user without a subscription on the free tier, with /subscribe offered", async () => {
    const { user } = await h.linked();
    const account = (await h.run({ name: "account", user })).embeds[0];
    expect(account?.title).toBe("SCOUT (free tier)");
    expect(account?.description).toBeUndefined();
    expect(JSON.stringify(account)).toContain("paired servers live at once: 0 of 1");
    const help = (await h.run({ name: "help", user })).embeds[0]?.description ?? "";
    expect(help).toContain("**/subscribe**");
    expect(help).toContain("**/credits buy**");
  });
});

describe("SELF_HOSTED_TIER", () => {
  it("with a bad value, npm start prints one line naming it and no stack trace", { timeout: 60_000 }, async () => {
    // A directory of its own, so nothing is written in the checkout if the value were (wrongly) accepted.
    const cwd = await mkdtemp(join(tmpdir(), "self-hosted-"));
    try {
      const run = await runToEnd(spawnTs("src/main.ts", [], { cwd, env: { DATA_DIR: join(cwd, "data"), DISCORD_TOKEN: "a.b.c", SELF_HOSTED_TIER: "gold" } }));
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual(['Configuration error: SELF_HOSTED_TIER: must be one of SCOUT, OPERATOR, OVERLORD (got "gold")']);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
