// One AdminAudit row, written inside the caller's transaction.
import type { Prisma } from "../generated/prisma/client.ts";
import type { Actor } from "./beta-testers.ts";

export async function writeAudit(tx: Prisma.TransactionClient, actor: Actor, entry: { action: string; target: string; payload: Prisma.InputJsonValue; result: string }): Promise<void> {
  await tx.adminAudit.create({ data: { actorSteamId: actor.user.steamId, actorUserId: actor.user.id, ...entry } });
}
