// Packing due rows into messages: up to 10 embeds and 6,000 embed characters each, in order. A row with
// buttons goes alone (its buttons would be ambiguous under ten embeds). The batch id is fixed in the
// database before posting: it is the nonce Discord dedupes a repost on.
import type { APIEmbed } from "discord-api-types/v10";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { NotificationButton } from "./buttons.ts";
import type { ClaimedRow } from "./claim.ts";
import { embedSize } from "../bot/fit-payload.ts";

const EMBEDS_PER_MESSAGE = 10;
const EMBED_CHARS_PER_MESSAGE = 6_000;

export interface Prepared {
  row: ClaimedRow;
  embed: APIEmbed;
  mentionRoleIds: readonly string[];
  buttons: NotificationButton[] | undefined;
  /** A second row of buttons under `buttons` (a pairing message's guild choices). */
  extraButtons?: NotificationButton[];
}

/** Rows already given a batch keep it (a retry must reuse its nonce); new rows are packed. */
export async function packBatches(prisma: PrismaClient, prepared: Prepared[]): Promise<Prepared[][]> {
  const batches: Prepared[][] = [];
  const byId = new Map<string, Prepared[]>();
  let open: Prepared[] = [];
  let chars = 0;
  const close = () => {
    if (open.length) batches.push(open);
    open = [];
    chars = 0;
  };
  for (const item of prepared) {
    if (item.row.batchId) {
      const existing = byId.get(item.row.batchId);
      if (existing) existing.push(item);
      else {
        close(); // keep seq order: what is open came first
        const batch = [item];
        byId.set(item.row.batchId, batch);
        batches.push(batch);
      }
      continue;
    }
    if (item.buttons) {
      close();
      batches.push([item]);
      continue;
    }
    const size = embedSize(item.embed);
    if (open.length === EMBEDS_PER_MESSAGE || chars + size > EMBED_CHARS_PER_MESSAGE) close();
    open.push(item);
    chars += size;
  }
  close();
  for (const batch of batches) {
    if (batch[0]!.row.batchId) continue;
    const batchId = batch[0]!.row.id;
    await prisma.notificationOutbox.updateMany({ where: { id: { in: batch.map((p) => p.row.id) } }, data: { batchId } });
    for (const p of batch) p.row.batchId = batchId;
  }
  return batches;
}
