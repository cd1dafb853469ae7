// Credit balances and their ledger. Every change to a balance writes one CreditLedger row (delta, balance
// after, reason, reference) in the same transaction as the change, so the ledger always adds up to the
// balance. Spending is one conditional UPDATE, so concurrent spends can never overdraw; adding is an
// upsert. Refund and dispute claw-backs go through addCredits with a negative amount and may leave a
// balance below zero (the schema allows it), which later spends then cannot use.
import { headOf } from "../bot/fit-text.ts";
import type { CreditLedger, Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";

type Db = PrismaClient | Prisma.TransactionClient;

/** The ledger's reasons written by this codebase (CreditLedger.reason is free text; these are the ones in use). */
export const CREDIT_REASONS = {
  initial: "initial",
  purchase: "purchase",
  refund: "refund",
  dispute: "dispute",
  battlemetricsLookup: "battlemetrics lookup",
  /** A look-up paid by credit that BattleMetrics then failed: the credit given back (same reference). */
  battlemetricsLookupRefund: "battlemetrics lookup refunded",
} as const;

export class InsufficientCreditsError extends UserError {
  constructor(
    readonly balance: number,
    readonly needed: number,
  ) {
    super(`Insufficient credits: you have ${balance}, this needs ${needed}.`);
  }
}

function checkReason(reason: string): void {
  if (!reason.trim()) throw new RangeError("a credit change needs a reason");
}

/**
 * Runs `work` in `db` when it is already a transaction, else in a new one (ledger and balance commit
 * together). A transaction client lacks `$connect` (Prisma's ITX deny list); it has `$transaction` (nested
 * ones, which the PGlite adapter refuses), so that cannot tell them apart.
 */
function inTransaction<T>(db: Db, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return "$connect" in db ? db.$transaction(work) : work(db);
}

/** References may carry outside text (a looked-up player's name): kept to this many UTF-16 units. */
export const LEDGER_REFERENCE_MAX = 200;

async function writeLedger(tx: Prisma.TransactionClient, userId: string, delta: number, balance: number, reason: string, reference: string | undefined): Promise<void> {
  const ref = reference === undefined ? "" : headOf(reference.trim(), LEDGER_REFERENCE_MAX);
  await tx.creditLedger.create({ data: { userId, delta, balance, reason, reference: ref || null } });
}

/**
 * Takes `amount` (a positive whole number) credits from the user and records it in the ledger, or throws
 * InsufficientCreditsError and changes nothing. `reason` says what they pay for (e.g. "battlemetrics
 * lookup"), `reference` what it was about (e.g. the looked-up player). Returns the new balance.
 * @throws RangeError for a bad amount or an empty reason.
 */
export async function spendCredits(db: Db, userId: string, amount: number, reason: string, reference?: string): Promise<{ balance: number }> {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError(`credit amount must be a positive whole number (got ${amount})`);
  checkReason(reason);
  return inTransaction(db, async (tx) => {
    const rows = await tx.$queryRaw<{ balance: number }[]>`
      UPDATE "Credit"
         SET "balance" = "balance" - ${amount}, "updatedAt" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')
       WHERE "userId" = ${userId} AND "balance" >= ${amount}
   RETURNING "balance"`;
    const row = rows[0];
    if (!row) throw new InsufficientCreditsError(await creditBalance(tx, userId), amount);
    const balance = Number(row.balance);
    await writeLedger(tx, userId, -amount, balance, reason, reference);
    return { balance };
  });
}

/**
 * Adds (or with a negative amount, removes: refunds may go below zero) credits and records it in the
 * ledger with `reason` ("purchase", "refund", …) and `reference` (e.g. the Stripe Checkout session id).
 * Returns the new balance.
 * @throws RangeError for a zero or fractional amount or an empty reason.
 */
export async function addCredits(db: Db, userId: string, amount: number, reason: string, reference?: string): Promise<number> {
  if (!Number.isSafeInteger(amount) || amount === 0) throw new RangeError(`credit amount must be a non-zero whole number (got ${amount})`);
  checkReason(reason);
  return inTransaction(db, async (tx) => {
    const { balance } = await tx.credit.upsert({
      where: { userId },
      create: { userId, balance: amount },
      update: { balance: { increment: amount } },
      select: { balance: true },
    });
    await writeLedger(tx, userId, amount, balance, reason, reference);
    return balance;
  });
}

export async function creditBalance(db: Db, userId: string): Promise<number> {
  const credit = await db.credit.findUnique({ where: { userId }, select: { balance: true } });
  return credit?.balance ?? 0;
}

/** The user's latest ledger entries, newest first (`limit` rows at most). */
export function recentLedger(db: Db, userId: string, limit: number): Promise<CreditLedger[]> {
  return db.creditLedger.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
}
