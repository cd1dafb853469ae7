// Rows for tests, with just the required fields.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "../../src/db/client.ts";

let counter = 0;
const next = () => ++counter;

export function steamId(): string {
  return `7656119${String(8_000_000_000 + next()).padStart(10, "0")}`;
}

export function createUser(prisma: PrismaClient, data: { steamId?: string; displayName?: string } = {}) {
  return prisma.user.create({ data: { steamId: data.steamId ?? steamId(), displayName: data.displayName ?? "Player" } });
}

export function createServer(prisma: PrismaClient, userId: string, data: { ip?: string; port?: number } = {}) {
  return prisma.pairedServer.create({
    data: {
      userId,
      serverName: `Rustafied #${next()}`,
      ip: data.ip ?? "10.0.0.1",
      port: data.port ?? 28_000 + next(),
      playerSteamId: steamId(),
      playerToken: new Uint8Array(randomBytes(40)),
      playerTokenKeyVersion: 1,
    },
  });
}
