// An admin write of one ContentStore key: validated by the key's schema first (nothing is written when it
// fails), then stored with the version bumped and an AdminAudit row, in one transaction.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Actor } from "../admin/beta-testers.ts";
import { writeAudit } from "../admin/write-audit.ts";
import { UserError } from "../errors.ts";
import { CONTENT_SCHEMAS, isContentKey, type ContentKey } from "./schemas.ts";

export function parseContentValue(key: string, json: string): { key: ContentKey; value: Prisma.InputJsonValue } {
  if (!isContentKey(key)) throw new UserError(`Unknown content key \`${key.slice(0, 30)}\`.`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new UserError(`That is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  const parsed = CONTENT_SCHEMAS[key].safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 8).map((i) => (i.path.length ? `\`${i.path.join(".")}\`: ${i.message}` : i.message));
    throw new UserError(`The ${key} content was not saved:\n${lines.join("\n")}`);
  }
  return { key, value: parsed.data as Prisma.InputJsonValue };
}

/** Validates and stores; returns the new version. */
export function setContent(prisma: PrismaClient, actor: Actor, key: string, json: string): Promise<number> {
  const input = parseContentValue(key, json);
  return prisma.$transaction(async (tx) => {
    const row = await tx.contentStore.upsert({
      where: { key: input.key },
      create: { key: input.key, value: input.value, version: 1, updatedBy: actor.user.steamId },
      update: { value: input.value, version: { increment: 1 }, updatedBy: actor.user.steamId },
    });
    await writeAudit(tx, actor, { action: "content.set", target: input.key, payload: { value: input.value }, result: `version ${row.version}` });
    return row.version;
  });
}
