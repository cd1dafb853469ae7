// A tier that shrinks takes the servers over its live limit offline (the most recently paired first), tells the
// owner once, and every process closes its sockets to servers taken offline elsewhere.
import { REST } from "@discordjs/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enforceLiveLimits } from "../../src/billing/live-limit.ts";
import { tierLimits } from "../../src/billing/tiers.ts";
import { buildKeyring, formatKey, generateKey, SecretBox } from "../../src/db/crypto.ts";
import { Notifier } from "../../src/notify/notifier.ts";
import { ConnectionManager } from "../../src/rustplus/connection-manager.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser } from "../helpers/bot.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { capturedLogger } from "../helpers/logs.ts";

let db: TestDatabase;
const fakes: FakeRustServer[] = [];
const managers: ConnectionManager[] = [];
const secrets = new SecretBox(buildKeyring(formatKey(1, generateKey())));
const { logger } = capturedLogger();
// A hosted bot (billing on): the tier comes from subscriptions and beta grants.
const config = { TIER_LIMITS: tierLimits(undefined), STRIPE_SECRET_KEY: "sk_test_hosted", SELF_HOSTED_TIER: "OVERLORD" as const };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const m of managers) m.stopAll();
  for (const f of fakes) await f.close();
  await db?.dispose();
});

function manager() {
  const states = new Log<{ serverId: string; state: ConnectionState }>();
  const m = new ConnectionManager(db.prisma, secrets, new Notifier(db.prisma, logger), logger);
  m.on("state", (serverId, state) => states.push({ serverId, state }));
  managers.push(m);
  const connected = (serverId: string) => states.waitFor((e) => e.serverId === serverId && e.state.kind === "connected");
  return { m, connected };
}

describe("live limits", () => {
  it("takes the newest servers over a shrunk tier offline, tells the owner once, and other processes follow", async () => {
    const user = await linkUser(db.prisma, "300000000000000001");
    await db.prisma.betaTester.create({ data: { steamId: user.steamId, tier: "OPERATOR" } });
    const servers = [];
    for (const [i, name] of ["First", "Second", "Third"].entries()) {
      const fake = await FakeRustServer.start({ players: [{ steamId: user.steamId, playerToken: 10 + i }] });
      fakes.push(fake);
      const sealed = secrets.seal("PairedServer.playerToken", String(10 + i));
      servers.push(
        await db.prisma.pairedServer.create({
          data: { userId: user.id, serverName: name, ip: "127.0.0.1", port: fake.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true, pairedAt: new Date(Date.now() + i * 1000) },
        }),
      );
    }
    const here = manager();
    const elsewhere = manager();
    await Promise.all([here.m.connect(servers[1]!.id), here.m.connect(servers[2]!.id), elsewhere.m.connect(servers[0]!.id)]);
    await Promise.all([here.connected(servers[1]!.id), here.connected(servers[2]!.id), elsewhere.connected(servers[0]!.id)]);
    const notifier = new Notifier(db.prisma, logger, new REST());
    expect(await enforceLiveLimits(db.prisma, config, here.m, notifier)).toBe(0);

    await db.prisma.betaTester.update({ where: { steamId: user.steamId }, data: { revokedAt: new Date() } });
    expect(await enforceLiveLimits(db.prisma, config, here.m, notifier)).toBe(2);
    const live = await db.prisma.pairedServer.findMany({ where: { userId: user.id, live: true }, select: { serverName: true } });
    expect(live).toEqual([{ serverName: "First" }]);
    expect(here.m.status(servers[1]!.id)).toBeNull();
    expect(here.m.status(servers[2]!.id)).toBeNull();
    const notices = await db.prisma.notificationOutbox.findMany({ where: { userId: user.id, dedupeKey: { startsWith: "live-limit:" } } });
    expect(notices.map((n) => (n.payload as { text: string }).text).sort()).toEqual([
      expect.stringContaining("Your SCOUT tier allows 1 live server, so Second was disconnected"),
      expect.stringContaining("Your SCOUT tier allows 1 live server, so Third was disconnected"),
    ]);
    expect(await enforceLiveLimits(db.prisma, config, here.m, notifier)).toBe(0);
    expect(await db.prisma.notificationOutbox.count({ where: { userId: user.id, dedupeKey: { startsWith: "live-limit:" } } })).toBe(2);

    // The server left live in another process stays; one taken offline there is closed by reconcile().
    expect(await elsewhere.m.reconcile()).toBe(0);
    await db.prisma.pairedServer.update({ where: { id: servers[0]!.id }, data: { live: false } });
    expect(await elsewhere.m.reconcile()).toBe(1);
    expect(elsewhere.m.status(servers[0]!.id)).toBeNull();
  });

  it("on a self-hosted bot applies SELF_HOSTED_TIER and points to nothing that cannot work", async () => {
    const user = await linkUser(db.prisma, "300000000000000002");
    const sealed = secrets.seal("PairedServer.playerToken", "7");
    for (const [i, name] of ["Alpha", "Bravo", "Charlie"].entries()) {
      await db.prisma.pairedServer.create({
        data: { userId: user.id, serverName: name, ip: "127.0.0.1", port: 28_000 + i, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true, pairedAt: new Date(Date.now() + i * 1000) },
      });
    }
    const notifier = new Notifier(db.prisma, logger, new REST());
    const selfHosted = (tier: "OPERATOR" | "SCOUT") => ({ TIER_LIMITS: tierLimits(undefined), SELF_HOSTED_TIER: tier });
    // OPERATOR allows 3 live servers: nothing to do, though this user has no subscription.
    expect(await enforceLiveLimits(db.prisma, selfHosted("OPERATOR"), manager().m, notifier)).toBe(0);
    expect(await enforceLiveLimits(db.prisma, selfHosted("SCOUT"), manager().m, notifier)).toBe(2);
    const notices = await db.prisma.notificationOutbox.findMany({ where: { userId: user.id, dedupeKey: { startsWith: "live-limit:" } } });
    const texts = notices.map((n) => (n.payload as { text: string }).text).sort();
    expect(texts).toEqual([
      "Your SCOUT tier allows 1 live server, so Bravo was disconnected. It stays paired: connect it again in place of another.",
      "Your SCOUT tier allows 1 live server, so Charlie was disconnected. It stays paired: connect it again in place of another.",
    ]);
  });
});
