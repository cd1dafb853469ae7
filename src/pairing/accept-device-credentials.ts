// The companion tool's hand-over: a /credentials code and the credentials fcm-register wrote. Claiming the
// code, storing the credentials (encrypted) and the Discord notice commit together: if any check fails,
// nothing is stored and the code is not spent.
import type { SecretBox } from "../db/crypto.ts";
import type { FcmCredential, PrismaClient } from "../generated/prisma/client.ts";
import { enqueueNotification } from "../notify/enqueue.ts";
import { saveCredentials } from "../rustplus/credentials-store.ts";
import type { FcmCredentialInput } from "../rustplus/fcm-credentials.ts";
import { claimDeviceCode } from "./device-codes.ts";

export type DeviceHandover =
  | { ok: true; userId: string; credential: FcmCredential }
  /** invalid-code: unknown, expired or already used (one answer for all three: it tells a guesser nothing). */
  | { ok: false; reason: "invalid-code" | "steam-mismatch" | "credentials-expired" };

class Rejected extends Error {
  constructor(readonly reason: "invalid-code" | "steam-mismatch") {
    super(reason);
  }
}

export async function acceptDeviceCredentials(
  prisma: PrismaClient,
  secrets: SecretBox,
  input: { code: string; credentials: FcmCredentialInput; label?: string | undefined },
  now = new Date(),
): Promise<DeviceHandover> {
  if (input.credentials.expiresAt && input.credentials.expiresAt <= now) return { ok: false, reason: "credentials-expired" };
  try {
    return await prisma.$transaction(async (tx) => {
      const pairing = await claimDeviceCode(tx, input.code, { label: input.label, now });
      if (!pairing) throw new Rejected("invalid-code");
      const user = await tx.user.findUniqueOrThrow({ where: { id: pairing.userId }, select: { id: true, steamId: true } });
      if (input.credentials.steamId !== user.steamId) throw new Rejected("steam-mismatch");
      const credential = await saveCredentials(tx, secrets, user, input.credentials);
      const from = input.label ? `The companion tool (${input.label})` : "The companion tool";
      await enqueueNotification(tx, {
        userId: user.id,
        dedupeKey: `device-pairing:${pairing.id}`,
        event: {
          kind: "account",
          at: now.toISOString(),
          title: "Rust+ credentials received",
          text: `${from} sent push credentials for Steam account ${credential.steamId ?? user.steamId}. They are stored encrypted, and the bot listens with them from now on.`,
        },
      });
      return { ok: true as const, userId: user.id, credential };
    });
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, reason: err.reason };
    throw err;
  }
}
