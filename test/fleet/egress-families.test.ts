// RUSTPLUS_EGRESS_ADDRESSES on a dual-stack machine lists IPv4 and IPv6 addresses. A socket to an IPv4 Rust server
// cannot leave from an IPv6 address (nor the other way round): such a slot would be taken and never connect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { eventually } from "../helpers/eventually.ts";

const TEAMS = 4;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  rust = await FakeRustServer.start();
  bot = await startTestBot(fake, { env: { RUSTPLUS_EGRESS_ADDRESSES: "::1,127.0.0.2" }, rust: { backoff: { baseMs: 20, maxMs: 200 } } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
});

describe("egress addresses of both families", () => {
  it("an IPv4 Rust server's sockets all leave from the IPv4 address", async () => {
    const servers: { id: string }[] = [];
    for (let i = 0; i < TEAMS; i++) {
      const user = await linkUser(bot.db.prisma, String(410_000_000_000_000_000n + BigInt(i)));
      rust.addPlayer(user.steamId, 7_000 + i);
      const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(7_000 + i));
      servers.push(
        await bot.db.prisma.pairedServer.create({
          data: { userId: user.id, serverName: `Team ${i}`, ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
        }),
      );
    }
    await bot.restart();
    await eventually(() => servers.every((s) => bot.ctx.rust.status(s.id)?.state.kind === "connected"));
    expect(rust.connectionInfo().map((c) => c.ip)).toEqual(Array(TEAMS).fill("127.0.0.2"));
    expect((await bot.db.prisma.fleetLease.findMany({ where: { key: { startsWith: "server:" } } })).map((l) => l.egressAddress)).toEqual(Array(TEAMS).fill("127.0.0.2"));
  });

  it("with its IPv4 slots full, the owner is told it waits: the IPv6 address is no free slot", async () => {
    const second = await FakeRustServer.start();
    try {
      // One socket per address on this server: the IPv4 address holds 1, the IPv6 one cannot reach it at all.
      await bot.db.prisma.rustServerLimit.create({ data: { ip: "127.0.0.1", port: second.port, connectionsPerAddress: 1 } });
      const servers: { id: string }[] = [];
      for (let i = 0; i < 2; i++) {
        const user = await linkUser(bot.db.prisma, String(420_000_000_000_000_000n + BigInt(i)));
        second.addPlayer(user.steamId, 8_000 + i);
        const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(8_000 + i));
        servers.push(
          await bot.db.prisma.pairedServer.create({
            data: { userId: user.id, serverName: `Late ${i}`, ip: "127.0.0.1", port: second.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
          }),
        );
        await bot.ctx.rust.connect(servers[i]!.id);
      }
      const waiting = () => bot.db.prisma.pairedServer.findMany({ where: { port: second.port, slotWaitSince: { not: null } } });
      await eventually(async () => servers.some((s) => bot.ctx.rust.status(s.id)?.state.kind === "connected") && (await waiting()).length === 1);
      await bot.notifier.idle();
      const told = await bot.db.prisma.notificationOutbox.findMany({ where: { userId: (await waiting())[0]!.userId } });
      expect(told.map((r) => (r.payload as { text: string }).text)).toEqual([expect.stringContaining("(1 per address × 1 address) is in use")]);
      expect(second.connectionInfo().map((c) => c.ip)).toEqual(["127.0.0.2"]);
    } finally {
      await second.close();
    }
  });
});
