// The credit ledger: every grant, purchase, spend, refund and dispute writes one CreditLedger row in the
// transaction of the balance change, and the rows add up to the balance. A new User gets the initial credits
// once, in the transaction that creates it: not on a re-link, not on a move, once among concurrent first links.
// (On PostgreSQL too: test:postgres runs test/billing/.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCredits, creditBalance, InsufficientCreditsError, recentLedger, spendCredits } from "../../src/billing/credits.ts";
import { linkDiscordToSteam, SteamAccountOwned, unlinkDiscord } from "../../src/identity/link-account.ts";
import { createUser, steamId } from "../helpers/fixtures.ts";
import { boughtCredits } from "./flows.ts";
import { startBilling, type BillingHarness } from "./harness.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await h?.close();
});

const prisma = () => h.db.prisma;
const ledger = (userId: string) => prisma().creditLedger.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
const shape = (rows: { delta: number; balance: number; reason: string; reference: string | null }[]) =>
  rows.map(({ delta, balance, reason, reference }) => ({ delta, balance, reason, reference }));

/** The ledger adds up to the stored balance. */
async function expectBalanced(userId: string): Promise<void> {
  const rows = await ledger(userId);
  expect(rows.reduce((sum, r) => sum + r.delta, 0)).toBe(await creditBalance(prisma(), userId));
  expect(rows.at(-1)?.balance ?? 0).toBe(await creditBalance(prisma(), userId));
}

let discordIds = 400_000_000_000_000_000n;
const discordId = () => String(++discordIds);

describe("ledger rows", () => {
  it("initial grant, purchase, spend and refund each write one row: delta, balance after, reason, reference", async () => {
    const { user } = await linkDiscordToSteam(prisma(), { steamId: steamId(), discordUserId: discordId(), initialCredits: 20 });
    const { session, charge } = await boughtCredits(h, user, "small");
    expect((await h.deliver(h.fake.event("checkout.session.completed", session))).status).toBe(200);
    await spendCredits(prisma(), user.id, 70, "battlemetrics lookup", "player 1234");
    expect((await h.deliver(h.fake.event("charge.refunded", h.fake.refundCharge(charge.id)))).status).toBe(200);

    expect(shape(await ledger(user.id))).toEqual([
      { delta: 20, balance: 20, reason: "initial", reference: null },
      { delta: 100, balance: 120, reason: "purchase", reference: session.id },
      { delta: -70, balance: 50, reason: "battlemetrics lookup", reference: "player 1234" },
      { delta: -100, balance: -50, reason: "refund", reference: session.id },
    ]);
    await expectBalanced(user.id);
    // recentLedger (what /credits balance shows) is newest first.
    expect((await recentLedger(prisma(), user.id, 2)).map((r) => r.reason)).toEqual(["refund", "battlemetrics lookup"]);
  });

  it("a dispute claws back with reason \"dispute\", once (the refund that follows takes nothing and writes nothing)", async () => {
    const user = await createUser(prisma());
    const { session, charge } = await boughtCredits(h, user, "large");
    await h.deliver(h.fake.event("checkout.session.completed", session));
    await h.deliver(h.fake.event("charge.dispute.created", h.fake.disputeCharge(charge.id)));
    await h.deliver(h.fake.event("charge.refunded", h.fake.refundCharge(charge.id)));
    expect(shape(await ledger(user.id))).toEqual([
      { delta: 600, balance: 600, reason: "purchase", reference: session.id },
      { delta: -600, balance: 0, reason: "dispute", reference: session.id },
    ]);
  });

  it("a redelivered purchase event writes no second row", async () => {
    const user = await createUser(prisma());
    const { session } = await boughtCredits(h, user, "small");
    const completed = h.fake.event("checkout.session.completed", session);
    await h.deliver(completed);
    await h.deliver(h.fake.event("checkout.session.async_payment_succeeded", session));
    expect(await prisma().creditLedger.count({ where: { userId: user.id } })).toBe(1);
  });

  it("a refused spend writes nothing and changes nothing", async () => {
    const user = await createUser(prisma());
    await addCredits(prisma(), user.id, 2, "test grant");
    const before = { credit: await prisma().credit.findUnique({ where: { userId: user.id } }), rows: await ledger(user.id) };
    await expect(spendCredits(prisma(), user.id, 3, "battlemetrics lookup", "x")).rejects.toBeInstanceOf(InsufficientCreditsError);
    expect({ credit: await prisma().credit.findUnique({ where: { userId: user.id } }), rows: await ledger(user.id) }).toEqual(before);
  });

  it("a spend or grant inside a caller's transaction that rolls back leaves neither balance nor ledger row", async () => {
    const user = await createUser(prisma());
    await addCredits(prisma(), user.id, 5, "test grant");
    await expect(
      prisma().$transaction(async (tx) => {
        await spendCredits(tx, user.id, 5, "battlemetrics lookup");
        await addCredits(tx, user.id, 7, "test grant");
        throw new Error("the caller failed");
      }),
    ).rejects.toThrow("the caller failed");
    expect(await creditBalance(prisma(), user.id)).toBe(5);
    expect(await prisma().creditLedger.count({ where: { userId: user.id } })).toBe(1);
  });

  it("concurrent spends: one row per successful spend, each with its own balance after, never below zero", async () => {
    const user = await createUser(prisma());
    await addCredits(prisma(), user.id, 10, "test grant");
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => spendCredits(prisma(), user.id, 3, "battlemetrics lookup", `p${i}`)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const spends = (await ledger(user.id)).filter((r) => r.delta < 0);
    expect(spends.map((r) => r.balance).sort((a, b) => b - a)).toEqual([7, 4, 1]);
    await expectBalanced(user.id);
  });

  it("a long reference (outside text) is cut; an empty one is stored as none", async () => {
    const user = await createUser(prisma());
    await addCredits(prisma(), user.id, 1, "test grant", "x".repeat(500));
    await addCredits(prisma(), user.id, 1, "test grant", "   ");
    const rows = await ledger(user.id);
    expect(rows.map((r) => r.reference?.length ?? null)).toEqual([200, null]);
    await expect(addCredits(prisma(), user.id, 1, " ")).rejects.toBeInstanceOf(RangeError);
  });
});

describe("initial credits", () => {
  const initialRows = (userId: string) => prisma().creditLedger.count({ where: { userId, reason: "initial" } });

  it("are granted once when the user is created, never on a re-link, a move of the Steam account or a link after an unlink", async () => {
    const steam = steamId();
    const [first, second] = [discordId(), discordId()];
    const created = await linkDiscordToSteam(prisma(), { steamId: steam, discordUserId: first, initialCredits: 20 });
    expect(created.created).toBe(true);
    const again = await linkDiscordToSteam(prisma(), { steamId: steam, discordUserId: first, initialCredits: 20 });
    expect(again.created).toBe(false);
    const moved = await linkDiscordToSteam(prisma(), { steamId: steam, discordUserId: second, movingFrom: first, initialCredits: 20 });
    expect(moved).toMatchObject({ created: false, movedFromDiscordUserId: first });
    // Unlinked, then linked again from yet another Discord account: the User (and its credits) is the same one.
    expect(await unlinkDiscord(prisma(), second)).toBe(true);
    expect(await linkDiscordToSteam(prisma(), { steamId: steam, discordUserId: discordId(), initialCredits: 20 })).toMatchObject({ created: false });
    expect(await initialRows(created.user.id)).toBe(1);
    expect(await creditBalance(prisma(), created.user.id)).toBe(20);
  });

  it("INITIAL_CREDITS_FOR_NEW=0 grants nothing and writes no row", async () => {
    const { user, created } = await linkDiscordToSteam(prisma(), { steamId: steamId(), discordUserId: discordId(), initialCredits: 0 });
    expect(created).toBe(true);
    expect(await prisma().credit.findUnique({ where: { userId: user.id } })).toBeNull();
    expect(await prisma().creditLedger.count({ where: { userId: user.id } })).toBe(0);
  });

  it("concurrent first links of one Steam id by different Discord accounts: one links (and is granted), the others are told it is taken", async () => {
    const steam = steamId();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => linkDiscordToSteam(prisma(), { steamId: steam, discordUserId: discordId(), initialCredits: 20 })));
    const linked = results.filter((r) => r.status === "fulfilled");
    expect(linked).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(SteamAccountOwned);
    const user = await prisma().user.findUniqueOrThrow({ where: { steamId: steam } });
    expect(await initialRows(user.id)).toBe(1);
    expect(await creditBalance(prisma(), user.id)).toBe(20);
  });

  it("concurrent first links of one Steam id by the same Discord account (a double click): all succeed, one created, one grant", async () => {
    const steam = steamId();
    const discord = discordId();
    const results = await Promise.all(Array.from({ length: 4 }, () => linkDiscordToSteam(prisma(), { steamId: steam, discordUserId: discord, initialCredits: 20 })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
    expect(await initialRows(results[0]!.user.id)).toBe(1);
    expect(await creditBalance(prisma(), results[0]!.user.id)).toBe(20);
  });
});
