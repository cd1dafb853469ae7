// Beta testers: a tier granted by an operator until it expires or is revoked. Every write leaves an
// AdminAudit row in the same transaction.
import type { BetaTester, Prisma, PrismaClient, Tier, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";

export interface Actor {
  user: Pick<User, "id" | "steamId">;
}

async function audit(tx: Prisma.TransactionClient, actor: Actor, action: string, target: string, payload: Prisma.InputJsonValue, result: string) {
  await tx.adminAudit.create({ data: { actorSteamId: actor.user.steamId, actorUserId: actor.user.id, action, target, payload, result } });
}

export function grantBeta(
  prisma: PrismaClient,
  actor: Actor,
  input: { steamId: string; tier: Tier; days: number | undefined; note: string | undefined },
): Promise<BetaTester> {
  const expiresAt = input.days === undefined ? null : new Date(Date.now() + input.days * 86_400_000);
  return prisma.$transaction(async (tx) => {
    const row = await tx.betaTester.upsert({
      where: { steamId: input.steamId },
      create: { steamId: input.steamId, tier: input.tier, expiresAt, note: input.note ?? null, addedBy: actor.user.steamId },
      update: { tier: input.tier, expiresAt, note: input.note ?? null, addedBy: actor.user.steamId, revokedAt: null, revokedBy: null },
    });
    await audit(tx, actor, "beta.grant", input.steamId, { tier: input.tier, days: input.days ?? null, note: input.note ?? null }, "granted");
    return row;
  });
}

export function revokeBeta(prisma: PrismaClient, actor: Actor, steamId: string): Promise<void> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.betaTester.updateMany({ where: { steamId, revokedAt: null }, data: { revokedAt: new Date(), revokedBy: actor.user.steamId } });
    if (count === 0) throw new UserError("That Steam id has no active beta grant.");
    await audit(tx, actor, "beta.revoke", steamId, {}, "revoked");
  });
}

export function listBeta(prisma: PrismaClient): Promise<BetaTester[]> {
  return prisma.betaTester.findMany({ where: { revokedAt: null }, orderBy: { createdAt: "desc" }, take: 50 });
}

export function isAdmin(adminSteamIds: readonly string[], user: Pick<User, "steamId">): boolean {
  return adminSteamIds.includes(user.steamId);
}
