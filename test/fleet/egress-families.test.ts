// RUSTPLUS_EGRESS_ADDRESSES on a dual-stack machine lists IPv4 and IPv6 addresses. A socket to an IPv4 Rust server
// cannot leave from an IPv6 address (nor the other way round): such a slot would be taken and never connect.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

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

/** Re-checks `condition` each turn of the event loop (sockets and leases move on their own). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}

describe("egress addresses of both families", () => {
  it("an IPv4 Rust server's sockets all leave from the IPv4 address", async () => {
    const servers = [];
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
    await until(() => servers.every((s) => bot.ctx.rust.status(s.id)?.state.kind === "connected"));
    expect(rust.connectionInfo().map((c) => c.ip)).toEqual(Array(TEAMS).fill("127.0.0.2"));
    expect((await bot.db.prisma.fleetLease.findMany({ where: { key: { startsWith: "server:" } } })).map((l) => l.egressAddress)).toEqual(Array(TEAMS).fill("127.0.0.2"));
  });
});
