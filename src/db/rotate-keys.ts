// Re-encrypts every stored secret that is not under the current key. Each row is rewritten only if it still
// holds the ciphertext that was read, so a concurrent write is never overwritten with stale data.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { SecretBox, SecretPurpose } from "./crypto.ts";

const BATCH = 200;

interface StoredSecret {
  id: string;
  ciphertext: Uint8Array<ArrayBuffer>;
  keyVersion: number;
}

interface EncryptedColumn {
  purpose: SecretPurpose;
  /** Up to BATCH rows whose key version is not `current`. */
  stale(current: number): Promise<StoredSecret[]>;
  /** Replaces `old` with `next` if the row still holds `old`; returns the rows changed (0 or 1). */
  replace(old: StoredSecret, next: Omit<StoredSecret, "id">): Promise<number>;
}

/** Every encrypted column in the schema. A new one must be added here to be rotated. */
export function encryptedColumns(prisma: PrismaClient): EncryptedColumn[] {
  return [
    {
      purpose: "FcmCredential.blob",
      stale: async (current) =>
        (
          await prisma.fcmCredential.findMany({
            where: { keyVersion: { not: current } },
            select: { id: true, blobEncrypted: true, keyVersion: true },
            take: BATCH,
          })
        ).map((r) => ({ id: r.id, ciphertext: r.blobEncrypted, keyVersion: r.keyVersion })),
      replace: async (old, next) =>
        (
          await prisma.fcmCredential.updateMany({
            where: { id: old.id, keyVersion: old.keyVersion, blobEncrypted: old.ciphertext },
            data: { blobEncrypted: next.ciphertext, keyVersion: next.keyVersion },
          })
        ).count,
    },
    {
      purpose: "PairedServer.playerToken",
      stale: async (current) =>
        (
          await prisma.pairedServer.findMany({
            where: { playerTokenKeyVersion: { not: current } },
            select: { id: true, playerToken: true, playerTokenKeyVersion: true },
            take: BATCH,
          })
        ).map((r) => ({ id: r.id, ciphertext: r.playerToken, keyVersion: r.playerTokenKeyVersion })),
      replace: async (old, next) =>
        (
          await prisma.pairedServer.updateMany({
            where: { id: old.id, playerTokenKeyVersion: old.keyVersion, playerToken: old.ciphertext },
            data: { playerToken: next.ciphertext, playerTokenKeyVersion: next.keyVersion },
          })
        ).count,
    },
  ];
}

/** Returns how many rows were re-encrypted, per purpose. */
export async function rotateSecrets(prisma: PrismaClient, box: SecretBox): Promise<Record<SecretPurpose, number>> {
  const report = {} as Record<SecretPurpose, number>;
  for (const column of encryptedColumns(prisma)) {
    report[column.purpose] = 0;
    for (let rows = await column.stale(box.keyring.current); rows.length > 0; rows = await column.stale(box.keyring.current)) {
      for (const row of rows) {
        const next = box.seal(column.purpose, box.open(column.purpose, row));
        report[column.purpose] += await column.replace(row, next);
      }
    }
  }
  return report;
}
