// Spending credits is one conditional UPDATE: parallel spends cannot overdraw, and a refused spend changes
// nothing.
import { afterAll, beforeAll, expect, it } from "vitest";
import { addCredits, creditBalance, InsufficientCreditsError, spendCredits } from "../../src/billing/credits.ts";
import { UserError } from "../../src/errors.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { createUser } from "../helpers/fixtures.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

it("parallel spends never overdraw: balance 10, five spends of 3 → exactly three succeed", async () => {
  const user = await createUser(db.prisma);
  await addCredits(db.prisma, user.id, 10, "test grant");
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => spendCredits(db.prisma, user.id, 3, "lookup")));
  const won = results.filter((r) => r.status === "fulfilled");
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(won).toHaveLength(3);
  expect(lost).toHaveLength(2);
  for (const r of lost) expect(r.reason).toBeInstanceOf(InsufficientCreditsError);
  expect(await creditBalance(db.prisma, user.id)).toBe(1);
  expect(won.map((r) => r.value.balance).sort()).toEqual([1, 4, 7]);
});

it("an insufficient balance is a UserError that says both numbers, and changes nothing", async () => {
  const user = await createUser(db.prisma);
  await addCredits(db.prisma, user.id, 2, "test grant");
  const before = await db.prisma.credit.findUniqueOrThrow({ where: { userId: user.id } });
  const error = await spendCredits(db.prisma, user.id, 3, "lookup").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toBe("Insufficient credits: you have 2, this needs 3.");
  expect(await db.prisma.credit.findUniqueOrThrow({ where: { userId: user.id } })).toEqual(before);
});

it("a user without a credit row has 0 and cannot spend", async () => {
  const user = await createUser(db.prisma);
  await expect(spendCredits(db.prisma, user.id, 1, "lookup")).rejects.toThrow("Insufficient credits: you have 0, this needs 1.");
  expect(await db.prisma.credit.count({ where: { userId: user.id } })).toBe(0);
});

it("spends inside a caller's transaction roll back with it", async () => {
  const user = await createUser(db.prisma);
  await addCredits(db.prisma, user.id, 5, "test grant");
  await expect(
    db.prisma.$transaction(async (tx) => {
      await spendCredits(tx, user.id, 5, "lookup");
      throw new Error("the lookup failed");
    }),
  ).rejects.toThrow("the lookup failed");
  expect(await creditBalance(db.prisma, user.id)).toBe(5);
});

it("a claw-back may take the balance below zero, and then nothing can be spent", async () => {
  const user = await createUser(db.prisma);
  await addCredits(db.prisma, user.id, 3, "test grant");
  expect(await addCredits(db.prisma, user.id, -10, "test grant")).toBe(-7);
  await expect(spendCredits(db.prisma, user.id, 1, "lookup")).rejects.toThrow("you have -7");
});

it("rejects amounts that are not positive whole numbers", async () => {
  const user = await createUser(db.prisma);
  for (const amount of [0, -1, 1.5, Number.NaN]) await expect(spendCredits(db.prisma, user.id, amount, "lookup")).rejects.toBeInstanceOf(RangeError);
  await expect(spendCredits(db.prisma, user.id, 1, " ")).rejects.toBeInstanceOf(RangeError);
});
