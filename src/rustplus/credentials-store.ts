// Stored push credentials (FcmCredential): one per user, the secret parts encrypted whole.
import type { SecretBox } from "../db/crypto.ts";
import type { FcmCredential, Prisma, PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import type { FcmCredentialInput } from "./fcm-credentials.ts";

export interface StoredSecrets {
  androidId: string;
  securityToken: string;
  authToken?: string;
}

export async function saveCredentials(prisma: PrismaClient | Prisma.TransactionClient, box: SecretBox, user: Pick<User, "id" | "steamId">, input: FcmCredentialInput): Promise<FcmCredential> {
  if (input.steamId !== user.steamId) {
    throw new UserError(`These credentials belong to Steam account ${input.steamId}, but your Discord is linked to ${user.steamId}. Register with the account you linked.`);
  }
  if (input.expiresAt && input.expiresAt <= new Date()) throw new UserError("These credentials have already expired: run `fcm-register` again.");
  const secrets: StoredSecrets = { androidId: input.androidId, securityToken: input.securityToken, ...(input.authToken && { authToken: input.authToken }) };
  const sealed = box.seal("FcmCredential.blob", JSON.stringify(secrets));
  const data = { blobEncrypted: sealed.ciphertext, keyVersion: sealed.keyVersion, steamId: input.steamId, issuedAt: input.issuedAt, expiresAt: input.expiresAt };
  return prisma.fcmCredential.upsert({ where: { userId: user.id }, create: { userId: user.id, ...data }, update: { ...data, lastPushAt: null } });
}

export function openCredentials(box: SecretBox, row: Pick<FcmCredential, "blobEncrypted" | "keyVersion">): StoredSecrets {
  return JSON.parse(box.open("FcmCredential.blob", { ciphertext: row.blobEncrypted, keyVersion: row.keyVersion })) as StoredSecrets;
}

export function credentialStatus(prisma: PrismaClient, userId: string): Promise<FcmCredential | null> {
  return prisma.fcmCredential.findUnique({ where: { userId } });
}

export async function removeCredentials(prisma: PrismaClient, userId: string): Promise<boolean> {
  const { count } = await prisma.fcmCredential.deleteMany({ where: { userId } });
  return count > 0;
}
