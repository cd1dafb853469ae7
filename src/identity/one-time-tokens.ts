// Seed 004's one-time token lifecycle: create (random, only the SHA-256 stored) → deliver → consume
// atomically (one DELETE that matches an unexpired hash) → expired rows swept.
import { createHash, randomBytes } from "node:crypto";
import type { OneTimeTokenPurpose, Prisma, PrismaClient } from "../generated/prisma/client.ts";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createOneTimeToken(
  prisma: PrismaClient,
  input: { purpose: OneTimeTokenPurpose; subject: string; ttlMs: number; payload?: Prisma.InputJsonValue },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + input.ttlMs);
  await prisma.oneTimeToken.create({
    data: { purpose: input.purpose, tokenHash: hashToken(token), subject: input.subject, expiresAt, ...(input.payload !== undefined && { payload: input.payload }) },
  });
  return { token, expiresAt };
}

/** Consumes a token: its subject and payload if it existed, was unexpired and of this purpose; else null. */
export async function consumeOneTimeToken(
  prisma: PrismaClient,
  purpose: OneTimeTokenPurpose,
  token: string,
): Promise<{ subject: string; payload: Prisma.JsonValue | null } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const rows = await prisma.$queryRaw<{ subject: string; payload: Prisma.JsonValue | null }[]>`
    DELETE FROM "OneTimeToken"
    WHERE "tokenHash" = ${hashToken(token)} AND purpose = ${purpose}::"OneTimeTokenPurpose" AND "expiresAt" > now()
    RETURNING subject, payload`;
  return rows[0] ?? null;
}

/**
 * Reads a token without spending it (a page that only shows what the token is for: a GET that link
 * checkers and prefetchers may fetch). Null when unknown, expired or of another purpose.
 */
export async function peekOneTimeToken(
  prisma: PrismaClient,
  purpose: OneTimeTokenPurpose,
  token: string,
): Promise<{ subject: string; payload: Prisma.JsonValue | null } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return prisma.oneTimeToken.findFirst({ where: { tokenHash: hashToken(token), purpose, expiresAt: { gt: new Date() } }, select: { subject: true, payload: true } });
}

/** Records a value that may be used once (an OpenID nonce): false if it was already used. */
export async function useOnce(prisma: PrismaClient, purpose: OneTimeTokenPurpose, value: string, keepMs: number): Promise<boolean> {
  const { count } = await prisma.oneTimeToken.createMany({
    data: [{ purpose, tokenHash: hashToken(value), subject: "-", expiresAt: new Date(Date.now() + keepMs) }],
    skipDuplicates: true,
  });
  return count === 1;
}

export async function sweepExpiredTokens(prisma: PrismaClient): Promise<number> {
  const { count } = await prisma.oneTimeToken.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  return count;
}
