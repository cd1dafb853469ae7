// Issue 17's egress-pool test: 12 teams on one Rust server that allows 5 Rust+ connections per IP. With 3 egress
// addresses (loopback 127.0.0.2–4) every team is live and no address is over the cap; with 2, 10 are live and the
// other 2 owners are told exactly why (and their servers read "waiting for a connection slot").
// The lease scheduler assigns each socket an egress address under the cap (pickAddress) and calls SlotWaits.noSlot
// when there is none; without it every socket leaves from 127.0.0.1 and the server refuses the 6th onwards.
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { eventually } from "../helpers/eventually.ts";

const TEAMS = 12;
let fake: FakeDiscord | undefined;
let rust: FakeRustServer | undefined;
let bot: TestBot | undefined;

afterEach(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
});

/** 12 users, each with a live paired server on one fake Rust server (5 per IP), then the bot with `addresses`. */
async function twelveTeams(addresses: string[]) {
  fake = await FakeDiscord.start();
  rust = await FakeRustServer.start({ limits: { maxConnectionsPerIp: 5 } });
  bot = await startTestBot(fake, { env: { RUSTPLUS_EGRESS_ADDRESSES: addresses.join(",") }, rust: { backoff: { baseMs: 20, maxMs: 200 } } });
  const servers = [];
  for (let i = 0; i < TEAMS; i++) {
    const user = await linkUser(bot.db.prisma, String(400_000_000_000_000_000n + BigInt(i)));
    const token = 5_000 + i;
    rust.addPlayer(user.steamId, token);
    const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(token));
    servers.push(
      await bot.db.prisma.pairedServer.create({
        data: { userId: user.id, serverName: `Team ${i}`, ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
      }),
    );
  }
  // As after a deploy: every live server is picked up by the fleet.
  await bot.restart();
  return { servers };
}

const connected = (servers: { id: string }[]) => servers.filter((s) => bot!.ctx.rust.status(s.id)?.state.kind === "connected").length;

describe("12 teams on one server that allows 5 per IP", () => {
  it("3 egress addresses: all 12 live, no address over its cap", async () => {
    const { servers } = await twelveTeams(["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
    await eventually(() => connected(servers) === TEAMS);
    expect(rust!.connections).toBe(TEAMS);
    const counts = rust!.connectionsPerIp();
    expect(Object.keys(counts).sort()).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
    expect(Math.max(...Object.values(counts))).toBeLessThanOrEqual(5);
    expect(await bot!.db.prisma.pairedServer.count({ where: { slotWaitSince: { not: null } } })).toBe(0);
  });

  it("2 egress addresses: 10 live, the other 2 owners told why", async () => {
    const { servers } = await twelveTeams(["127.0.0.2", "127.0.0.3"]);
    const waiting = () => bot!.db.prisma.pairedServer.findMany({ where: { slotWaitSince: { not: null } }, select: { id: true, userId: true, serverName: true } });
    await eventually(async () => connected(servers) === 10 && (await waiting()).length === 2);
    await bot!.notifier.idle();
    expect(rust!.connectionsPerIp()).toEqual({ "127.0.0.2": 5, "127.0.0.3": 5 });
    expect(rust!.refusedConnections).toBe(0); // the bot never asked the server for an 11th slot
    const told = await bot!.db.prisma.notificationOutbox.findMany({ where: { userId: { in: (await waiting()).map((w) => w.userId) } } });
    expect(told.map((r) => (r.payload as { text: string }).text)).toEqual(
      (await waiting()).map(
        (w) =>
          `${w.serverName} is waiting for a connection slot: the game server allows only 5 Rust+ connections per address, and every one of the ` +
          "bot's 10 connection slots to it (5 per address × 2 addresses) is in use by other teams. The bot connects by itself as soon as one frees; nothing to do.",
      ),
    );
  });
});
