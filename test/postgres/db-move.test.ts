// npm run db:move, run as a self-hoster runs it: an embedded database filled through the product's own code
// is copied into a fresh PostgreSQL database, every row equal, the secrets still opening with the same key.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { KEY_FILE, loadSecretBox } from "../../src/db/keys.ts";
import { Prisma } from "../../src/generated/prisma/client.ts";
import { linkDiscordToSteam } from "../../src/identity/link-account.ts";
import { openCredentials, saveCredentials } from "../../src/rustplus/credentials-store.ts";
import { createEmptyDatabase, type EmptyDatabase } from "../helpers/database.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

// Spawns tsx and runs every migration on both databases: well clear of a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;
const OUTBOX_ROWS = 1_203; // more than two copy batches
const PLAYER_TOKEN = "-1234567890";
const FCM = { androidId: "5012345678901234567", securityToken: "8812345678901234567", authToken: "rustplus-auth-abc" };

const cwd = await mkdtemp(join(tmpdir(), "db-move-"));
const dataDir = join(cwd, "data");
let target: EmptyDatabase;
let targetUrl: string;
const silent = pino({ level: "silent" });

beforeAll(async () => {
  target = await createEmptyDatabase();
  if (target.options.kind !== "postgres") throw new Error("run under npm run test:postgres");
  targetUrl = target.options.url;
  await populate();
}, SPAWN_TIMEOUT_MS);
afterAll(async () => {
  await target?.dispose();
  await rm(cwd, { recursive: true, force: true });
});

const move = (url: string) => runToEnd(spawnTs("src/db/cli.ts", ["move", url], { cwd, env: { DATA_DIR: dataDir } }));

/** A team's embedded database: linked players, paired servers, push credentials, devices, outbox, content. */
async function populate(): Promise<void> {
  const db = await openDatabase({ kind: "embedded", dataDir });
  const box = await loadSecretBox({ DATA_DIR: dataDir, CREDS_ENCRYPTION_KEY: undefined, CREDS_ENCRYPTION_OLD_KEYS: undefined, DATABASE_URL: undefined }, silent);
  const prisma = db.prisma;
  try {
    const { user: owner } = await linkDiscordToSteam(prisma, { steamId: "76561198000000001", discordUserId: "300000000000000001", displayName: "Zoë \"Raider\" 🚀", initialCredits: 0 });
    const { user: mate } = await linkDiscordToSteam(prisma, { steamId: "76561198000000002", discordUserId: "300000000000000002", initialCredits: 0 });
    await prisma.user.update({ where: { id: mate.id }, data: { email: "mate@example.org", avatarUrl: null } });
    await saveCredentials(prisma, box, owner, { ...FCM, steamId: owner.steamId, issuedAt: new Date("2026-11-01T10:00:00.123Z"), expiresAt: null });

    const sealed = box.seal("PairedServer.playerToken", PLAYER_TOKEN);
    const server = await prisma.pairedServer.create({
      data: {
        userId: owner.id, serverName: "Rustafied EU Main", ip: "203.0.113.7", port: 28082, playerSteamId: owner.steamId,
        playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true,
        needsRepairSince: null, lastSeenAt: new Date("2026-11-29T23:59:59.999Z"), mutedMapEvents: ["cargo", "heli"], commandPrefix: "?",
      },
    });
    await prisma.dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: server.id, guestUserId: mate.id, guestSteamId: mate.steamId } });
    await prisma.smartDevice.createMany({
      data: [
        { pairedServerId: server.id, kind: "SWITCH", entityId: 4_294_967_295n, name: "Main door", isOn: true, customCommand: "door" },
        { pairedServerId: server.id, kind: "STORAGE_MONITOR", entityId: 12n, name: "TC", contents: { items: [{ itemId: -932201673, quantity: 1500 }], upkeep: 3600.5 } },
        { pairedServerId: server.id, kind: "CAMERA", cameraId: "OILRIG1", name: "Oil rig", isOn: null },
      ],
    });
    await prisma.mapNote.create({ data: { pairedServerId: server.id, category: "SAM", x: 1234.5678901234567, y: -0.1, label: null } });
    await prisma.discordIntegration.create({ data: { guildId: "400000000000000001", guildName: "Raiders", alarmsChannelId: "500000000000000001", shopEnabled: false } });
    await prisma.user.update({ where: { id: owner.id }, data: { notificationGuildId: "400000000000000001" } });
    await prisma.subscription.create({ data: { userId: owner.id, tier: "OVERLORD", status: "ACTIVE", stripeCustomerId: "cus_1", currentPeriodEnd: new Date("2026-12-30T00:00:00Z") } });
    await prisma.battleMetricsQuota.create({ data: { userId: owner.id, day: new Date("2026-11-30T00:00:00Z"), used: 7 } });
    await prisma.oneTimeToken.create({ data: { purpose: "LINK_DISCORD", tokenHash: "h1", subject: "300000000000000003", payload: Prisma.DbNull, expiresAt: new Date("2026-11-30T16:00:00Z") } });
    await prisma.adminAudit.create({ data: { actorSteamId: owner.steamId, actorUserId: owner.id, action: "content.set", payload: Prisma.JsonNull } });
    await prisma.item.create({ data: { id: -932201673, shortname: "scrap", name: "Scrap", category: "Items", stackSize: 1000 } });
    await prisma.conveyorShortname.create({ data: { shortname: "scrap.item", itemId: -932201673 } });
    await prisma.contentStore.create({ data: { key: "faq", value: { entries: [{ q: "Où?", a: "Là — ✓" }], n: 1e-7 }, version: 3 } });
    await prisma.savedGeneBatch.create({ data: { userId: mate.id, name: "hemp", clones: ["GGYYXW", "YGHHWX"], weights: { G: 1 }, results: [] } });
    await prisma.notificationOutbox.createMany({
      data: Array.from({ length: OUTBOX_ROWS }, (_, i) => ({
        userId: i % 2 ? owner.id : mate.id, family: i % 3 ? "ALARMS" : "TEAM_CHAT", dedupeKey: `e${i}`,
        payload: { kind: "alarm", text: `Alarm ${i}`, at: new Date(1_764_000_000_000 + i).toISOString() },
        status: i % 5 ? "SENT" : "PENDING", sentAt: i % 5 ? new Date(1_764_000_000_000 + i) : null,
      })),
    });
    // The sequence stands past the highest remaining row: the copy must not hand these numbers out again.
    const last = await prisma.notificationOutbox.findMany({ orderBy: { seq: "desc" }, take: 3, select: { id: true } });
    await prisma.notificationOutbox.deleteMany({ where: { id: { in: last.map((r) => r.id) } } });
  } finally {
    await db.close();
  }
}

type Tables = Map<string, string[]>;
const TABLES_SQL = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY 1`;
const rowsSql = (table: string) => `SELECT t::text AS row FROM "${table}" t ORDER BY 1`;

/** Every row of every table, as PostgreSQL's text form of the whole row (exact for every type). */
async function embeddedRows(): Promise<Tables> {
  const db = new PGlite(join(dataDir, "pgdata"));
  try {
    const tables = new Map<string, string[]>();
    for (const { tablename } of (await db.query<{ tablename: string }>(TABLES_SQL)).rows) {
      tables.set(tablename, (await db.query<{ row: string }>(rowsSql(tablename))).rows.map((r) => r.row));
    }
    return tables;
  } finally {
    await db.close();
  }
}

async function postgresRows(): Promise<Tables> {
  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect();
  try {
    const tables = new Map<string, string[]>();
    for (const { tablename } of (await client.query<{ tablename: string }>(TABLES_SQL)).rows) {
      tables.set(tablename, (await client.query<{ row: string }>(rowsSql(tablename))).rows.map((r) => r.row));
    }
    return tables;
  } finally {
    await client.end();
  }
}

describe("npm run db:move", () => {
  it("fails loudly and commits nothing when a table's count differs after copying", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // A migrated, empty target whose ContentStore silently drops inserts (a trigger, as a hand-made change would).
    const lossy = await createEmptyDatabase();
    try {
      const url = (lossy.options as { url: string }).url;
      await (await openDatabase(lossy.options)).close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE FUNCTION drop_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`);
        await client.query(`CREATE TRIGGER lossy BEFORE INSERT ON "ContentStore" FOR EACH ROW EXECUTE FUNCTION drop_row()`);
        const failed = await move(url);
        expect(failed.code).toBe(1);
        expect(failed.stdout).toBe("");
        expect(failed.stderr).toBe("Error: row counts differ after copying, nothing was committed: ContentStore: 1 in the embedded database, 0 in PostgreSQL\n");
        const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "User"`);
        expect(rows[0]?.n).toBe("0");
      } finally {
        await client.end();
      }
    } finally {
      await lossy.dispose();
    }
  });

  it("copies every row into a fresh PostgreSQL database, the secrets opening with the same key, and says what to change", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const moved = await move(targetUrl);
    expect(moved.stderr).toBe("");
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(`  NotificationOutbox: ${OUTBOX_ROWS - 3}\n`);
    expect(moved.stdout).toContain(`  DATABASE_URL=${targetUrl}\n`);
    expect(moved.stdout).toContain(`  CREDS_ENCRYPTION_KEY=<the one line in ${join(dataDir, KEY_FILE)}>`);

    const key = (await readFile(join(dataDir, KEY_FILE), "utf8")).trim();
    const printed = moved.stdout + moved.stderr;
    for (const secret of [key, key.split(":")[1]!, PLAYER_TOKEN, FCM.securityToken, FCM.authToken]) expect(printed).not.toContain(secret);

    const [source, copied] = [await embeddedRows(), await postgresRows()];
    expect([...copied.keys()]).toEqual([...source.keys()]);
    for (const [table, rows] of source) expect(copied.get(table), table).toEqual(rows);
    expect(source.get("NotificationOutbox")).toHaveLength(OUTBOX_ROWS - 3);
    expect(source.get("SmartDevice")).toHaveLength(3);

    // The bot as it starts after the two settings change: PostgreSQL, the key from the environment.
    const db = await openDatabase({ kind: "postgres", url: targetUrl, poolSize: 2 });
    try {
      expect(db.applied).toEqual([]);
      const box = await loadSecretBox({ DATABASE_URL: targetUrl, CREDS_ENCRYPTION_KEY: key, CREDS_ENCRYPTION_OLD_KEYS: undefined, DATA_DIR: join(cwd, "elsewhere") }, silent);
      const server = await db.prisma.pairedServer.findFirstOrThrow({ where: { ip: "203.0.113.7" } });
      expect(box.open("PairedServer.playerToken", { ciphertext: server.playerToken, keyVersion: server.playerTokenKeyVersion })).toBe(PLAYER_TOKEN);
      expect(openCredentials(box, await db.prisma.fcmCredential.findFirstOrThrow())).toEqual(FCM);
      // The outbox's posting order continues past every number the embedded database handed out.
      const user = await db.prisma.user.findUniqueOrThrow({ where: { steamId: "76561198000000001" } });
      const fresh = await db.prisma.notificationOutbox.create({ data: { userId: user.id, family: "ALARMS", dedupeKey: "after-move", payload: {} } });
      expect(fresh.seq).toBe(BigInt(OUTBOX_ROWS + 1));
    } finally {
      await db.close();
    }
  });

  it("refuses a second run into the now populated database, changing nothing", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const before = await postgresRows();
    const again = await move(targetUrl);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(/^Error: the target database .* already has rows \(in .*NotificationOutbox.*\); db:move only copies into an empty database/);
    expect(await postgresRows()).toEqual(before);
  });
});
