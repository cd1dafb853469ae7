// Credit balances. Spending is one conditional UPDATE, so concurrent spends can never overdraw; adding is an
// upsert. Refund and dispute claw-backs go through addCredits with a negative amount and may leave a
// balance below zero (the schema allows it), which later spends then cannot use.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";

type Db = PrismaClient | Prisma.TransactionClient;

export class InsufficientCreditsError extends UserError {
  constructor(
    readonly balance: number,
    readonly needed: number,
  ) {
    super(`Insufficient credits: you have ${balance}, this needs ${needed}.`);
  }
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError(`credit amount must be a positive whole number (got ${amount})`);
}

/**
 * Takes `amount` credits from the user, or throws InsufficientCreditsError and changes nothing.
 * `reason` says what they pay for (e.g. "battlemetrics lookup"); it is required so every caller names one,
 * and returned with the new balance for the caller's log (there is no ledger table yet).
 */
export async function spendCredits(db: Db, userId: string, amount: number, reason: string): Promise<{ balance: number; reason: string }> {
  checkAmount(amount);
  if (!reason.trim()) throw new RangeError("spendCredits needs a reason");
  const rows = await db.$queryRaw<{ balance: number }[]>`
    UPDATE "Credit"
       SET "balance" = "balance" - ${amount}, "updatedAt" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')
     WHERE "userId" = ${userId} AND "balance" >= ${amount}
 RETURNING "balance"`;
  const row = rows[0];
  if (row) return { balance: Number(row.balance), reason };
  throw new InsufficientCreditsError(await creditBalance(db, userId), amount);
}

/** Adds (or with a negative amount, removes: refunds may go below zero) credits; returns the new balance. */
export async function addCredits(db: Db, userId: string, amount: number): Promise<number> {
  if (!Number.isSafeInteger(amount) || amount === 0) throw new RangeError(`credit amount must be a non-zero whole number (got ${amount})`);
  const credit = await db.credit.upsert({
    where: { userId },
    create: { userId, balance: amount },
    update: { balance: { increment: amount } },
    select: { balance: true },
  });
  return credit.balance;
}

export async function creditBalance(db: Db, userId: string): Promise<number> {
  const credit = await db.credit.findUnique({ where: { userId }, select: { balance: true } });
  return credit?.balance ?? 0;
}
