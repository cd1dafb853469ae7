// Device pairing codes (/credentials code): a short code the player types into the companion tool on their
// PC, which hands their push credentials to the sidecar with it. Only the code's SHA-256 is stored; a code
// expires after ten minutes and is claimed once, by one conditional UPDATE.
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { hashToken } from "../identity/one-time-tokens.ts";

export const DEVICE_CODE_TTL_MS = 10 * 60_000;
/** No 0/O or 1/I: read off a screen and typed by hand. 32 symbols, so a byte's low 5 bits pick one evenly. */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LENGTH = 8;

/** `ABCD-EFGH` as typed by a player (any case, with or without the dash or spaces) → `ABCDEFGH`, or null. */
export function normalizeDeviceCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, "").toUpperCase();
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

const display = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** A new code for the user; it replaces their pending ones (and expired codes of anyone are dropped). */
export async function issueDeviceCode(prisma: PrismaClient, userId: string, now = new Date()): Promise<{ code: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + DEVICE_CODE_TTL_MS);
  await prisma.devicePairing.deleteMany({ where: { activatedAt: null, OR: [{ userId }, { expiresAt: { lte: now } }] } });
  const code = [...randomBytes(LENGTH)].map((b) => ALPHABET[b & 31]).join("");
  // 40 random bits: a clash with another pending code is vanishingly rare and fails on the unique hash.
  await prisma.devicePairing.create({ data: { userId, codeHash: hashToken(code), expiresAt } });
  return { code: display(code), expiresAt };
}

/** Marks an unexpired, unused code as used; its pairing row if this call won it, else null. */
export async function claimDeviceCode(
  tx: Prisma.TransactionClient,
  code: string,
  input: { label?: string | undefined; now?: Date } = {},
): Promise<{ id: string; userId: string } | null> {
  const normalized = normalizeDeviceCode(code);
  if (!normalized) return null;
  const now = input.now ?? new Date();
  const codeHash = hashToken(normalized);
  const { count } = await tx.devicePairing.updateMany({
    where: { codeHash, activatedAt: null, expiresAt: { gt: now } },
    data: { activatedAt: now, ...(input.label !== undefined && { label: input.label }) },
  });
  if (count !== 1) return null;
  return tx.devicePairing.findUnique({ where: { codeHash }, select: { id: true, userId: true } });
}
