// /subscribe, /credits and /billing through the real discord.js client and the fake Discord, with the
// fake Stripe behind them: private replies with a link, clear messages when something is missing.
import { ButtonStyle, ComponentType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billing } from "../../commands/billing.ts";
import { credits } from "../../commands/credits.ts";
import { subscribe } from "../../commands/subscribe.ts";
import { addCredits } from "../../src/billing/credits.ts";
import { chargeLookup } from "../../src/billing/lookup-charge.ts";
import { utcDay } from "../../src/billing/quota-day.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeStripe } from "../fakes/stripe/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { billingEnv, PRICES } from "./harness.ts";

let discord: FakeDiscord;
let stripe: FakeStripe;
let bot: TestBot;
let guildId: string;

beforeAll(async () => {
  discord = await FakeDiscord.start();
  stripe = await FakeStripe.start({ prices: PRICES });
  bot = await startTestBot(discord, { commands: [subscribe, credits, billing], env: billingEnv(stripe) });
  guildId = discord.createGuild({ name: "Clan" }).id;
});
afterAll(async () => {
  await bot?.stop();
  await discord?.close();
  await stripe?.close();
});

async function linked() {
  const user = discord.createUser({ username: "buyer" });
  const row = await linkUser(bot.db.prisma, user.id);
  return { user, row };
}

const linkButton = (url: unknown) => [{ type: ComponentType.ActionRow, components: [expect.objectContaining({ type: ComponentType.Button, style: ButtonStyle.Link, url })] }];

describe("/subscribe", () => {
  it("answers privately with a Checkout link for the chosen tier", async () => {
    const { user, row } = await linked();
    const reply = await (await discord.sendCommand({ guildId, name: "subscribe", user, options: { tier: "OPERATOR" } })).reply();
    const session = [...stripe.checkoutSessions.values()].at(-1)!;
    expect(session).toMatchObject({ mode: "subscription", client_reference_id: row.id });
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("Operator"), components: linkButton(session["url"]) });
  });

  it("asks an unlinked user to /link first", async () => {
    const stranger = discord.createUser({ username: "stranger" });
    const reply = await (await discord.sendCommand({ guildId, name: "subscribe", user: stranger, options: { tier: "OVERLORD" } })).reply();
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("/link") });
  });
});

describe("/credits", () => {
  it("autocompletes the configured packs", async () => {
    expect(await discord.autocomplete({ guildId, name: "credits", subcommand: "buy", options: { pack: "" }, focused: "pack" })).toEqual([
      { name: "small — 100 credits", value: "small" },
      { name: "large — 600 credits", value: "large" },
    ]);
    expect(await discord.autocomplete({ guildId, name: "credits", subcommand: "buy", options: { pack: "la" }, focused: "pack" })).toEqual([
      { name: "large — 600 credits", value: "large" },
    ]);
  });

  it("buy answers with a Checkout link for the pack; an unknown pack is refused", async () => {
    const { user, row } = await linked();
    const reply = await (await discord.sendCommand({ guildId, name: "credits", subcommand: "buy", user, options: { pack: "small" } })).reply();
    const session = [...stripe.checkoutSessions.values()].at(-1)!;
    expect(session).toMatchObject({ mode: "payment", metadata: { userId: row.id, kind: "credits" }, amount_subtotal: 299 });
    expect(reply).toMatchObject({ ephemeral: true, components: linkButton(session["url"]) });

    const bad = await (await discord.sendCommand({ guildId, name: "credits", subcommand: "buy", user, options: { pack: "huge" } })).reply();
    expect(bad).toMatchObject({ ephemeral: true, content: 'There is no credit pack called "huge". Packs: `small`, `large`.' });
  });

  it("balance shows the credits, today's look-ups against the quota, and the last 10 ledger entries, newest first", async () => {
    const { user, row } = await linked();
    const prisma = bot.db.prisma;
    await addCredits(prisma, row.id, 20, "initial");
    await addCredits(prisma, row.id, 100, "purchase", "cs_test_pack");
    await prisma.battleMetricsQuota.create({ data: { userId: row.id, day: utcDay(new Date()), used: 19 } });
    // The last of the SCOUT tier's 20 a day, then 11 paid with credits (one player named with markdown).
    for (let i = 0; i < 12; i++) await chargeLookup(prisma, bot.ctx.config, row.id, i === 11 ? "**Bob** 11" : `Bob ${i}`);
    const reply = await (await discord.sendCommand({ guildId, name: "credits", subcommand: "balance", user })).reply();
    expect(reply.ephemeral).toBe(true);
    const lines = (reply.content ?? "").split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "You have **109** credits.",
      expect.stringMatching(/^BattleMetrics look-ups today: \*\*20\/20\*\* \(SCOUT tier; resets at 00:00 UTC, <t:\d+:R>\)\. Beyond the quota each look-up costs 1 credit\.$/),
      "Buy more with `/credits buy`.",
      "",
      "**Recent changes** (newest first)",
    ]);
    const entries = lines.slice(5);
    expect(entries).toHaveLength(10);
    expect(entries[0]).toMatch(/^<t:\d+:f> \*\*−1\*\* BattleMetrics look-up: Bob 11 \(balance 109\)$/);
    expect(entries[9]).toMatch(/^<t:\d+:f> \*\*−1\*\* BattleMetrics look-up: Bob 2 \(balance 118\)$/);
    expect(reply.content).not.toContain("purchase");

    // A user with no changes yet.
    const fresh = await linked();
    const empty = await (await discord.sendCommand({ guildId, name: "credits", subcommand: "balance", user: fresh.user })).reply();
    expect(empty.content).toContain("You have **0** credits.");
    expect(empty.content).toContain("**0/20**");
    expect(empty.content).toContain("No credit changes yet.");
  });
});

describe("/billing", () => {
  it("answers with the portal link and the plan", async () => {
    const { user, row } = await linked();
    const customer = stripe.createCustomer();
    await bot.db.prisma.subscription.create({
      data: { userId: row.id, tier: "OVERLORD", status: "ACTIVE", stripeCustomerId: customer.id, currentPeriodEnd: new Date("2031-01-01T00:00:00Z") },
    });
    const reply = await (await discord.sendCommand({ guildId, name: "billing", user })).reply();
    const portal = [...stripe.portalSessions.values()].at(-1)!;
    expect(portal["customer"]).toBe(customer.id);
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("**Overlord** (active, renews <t:1924992000:D>)"), components: linkButton(portal["url"]) });
  });

  it("tells a user without a Stripe customer to subscribe first", async () => {
    const { user } = await linked();
    const reply = await (await discord.sendCommand({ guildId, name: "billing", user })).reply();
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("/subscribe") });
  });
});

describe("a bot without Stripe", () => {
  it("answers every billing command that needs Stripe with 'Billing is not enabled on this bot'", async () => {
    const bare = await startTestBot(discord, { commands: [subscribe, credits, billing], db: bot.db });
    try {
      const { user } = await linked();
      for (const init of [
        { name: "subscribe", options: { tier: "OPERATOR" } },
        { name: "credits", subcommand: "buy", options: { pack: "small" } },
        { name: "billing" },
      ]) {
        const reply = await (await discord.sendCommand({ guildId, user, ...init })).reply();
        expect(reply, init.name).toMatchObject({ ephemeral: true, content: "Billing is not enabled on this bot, so there is nothing to buy: /account shows your tier and limits." });
      }
    } finally {
      await bare.stop();
    }
  });
});
