// Never lose an alarm, never post one twice: the bot process is killed while Discord has taken a
// notification but before the bot heard back; after a restart every event is in Discord exactly once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { enqueueNotification } from "../../src/notify/enqueue.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, routeTo } from "../helpers/bot.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

// Spawns processes (tsx, migrations): well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;

const dir = await mkdtemp(join(tmpdir(), "outbox-crash-"));
const dataDir = join(dir, "data");
let fake: FakeDiscord;
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

async function enqueueAlarms(userId: string, names: string[]): Promise<void> {
  const db = await openDatabase({ kind: "embedded", dataDir });
  for (const name of names) {
    await enqueueNotification(db.prisma, {
      userId,
      dedupeKey: `alarm:${name}`,
      event: { kind: "alarm", serverName: "Rustoria", alarmName: name, at: new Date().toISOString() },
    });
  }
  await db.close();
}

const startBot = () => spawnTs("src/main.ts", [], { cwd: dir, env: { DATA_DIR: dataDir, DISCORD_TOKEN: fake.token, DISCORD_REST_URL: fake.restUrl } });

describe("the outbox across a crash", () => {
  it("posts events pending at a kill -9 once after the restart", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    fake = await FakeDiscord.start();
    const guild = fake.createGuild({ name: "Crashy" });
    const alarms = guild.createChannel({ name: "alarms-and-raids" });
    const posts = `/channels/${alarms.id}/messages`;

    const db = await openDatabase({ kind: "embedded", dataDir });
    const user = await linkUser(db.prisma, fake.createUser().id);
    await routeTo(db.prisma, user.id, { guildId: guild.id, guildName: "Crashy", alarmsChannelId: alarms.id });
    await db.close();
    await enqueueAlarms(user.id, ["Front door", "Garage", "TC"]);

    // Discord creates the message, but the answer never reaches the bot: then the bot dies.
    fake.hangNext({ method: "POST", route: posts });
    const first = startBot();
    await fake.waitForCall((c) => c.path === posts && c.status === 0);
    first.kill("SIGKILL");
    await once(first, "exit");
    expect(fake.messages(alarms.id)).toHaveLength(1);

    // More alarms arrive while the bot is down.
    await enqueueAlarms(user.id, ["Shop front", "Roof"]);

    const second = startBot();
    const finished = runToEnd(second);
    await fake.waitForCall((c) => c.path === posts && c.status === 200 && fake.messages(alarms.id).flatMap((m) => m.embeds).length === 5);
    second.kill("SIGTERM");
    expect((await finished).code).toBe(0);

    const titles = fake.messages(alarms.id).flatMap((m) => m.embeds.map((e) => e.title));
    expect(titles).toEqual(["🚨 Front door", "🚨 Garage", "🚨 TC", "🚨 Shop front", "🚨 Roof"]);

    const after = await openDatabase({ kind: "embedded", dataDir });
    const rows = await after.prisma.notificationOutbox.findMany({ orderBy: { seq: "asc" } });
    await after.close();
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT", "SENT", "SENT", "SENT"]);
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(2);
  });
});
