// Two processes' notifiers draining one PostgreSQL outbox: every event is posted exactly once.
import { REST } from "@discordjs/rest";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/client.ts";
import { Notifier } from "../../src/notify/notifier.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, routeTo } from "../helpers/bot.ts";
import { createEmptyDatabase, type EmptyDatabase } from "../helpers/database.ts";

let fake: FakeDiscord;
let database: EmptyDatabase;
const dbs: Database[] = [];
const notifiers: Notifier[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  database = await createEmptyDatabase();
  for (let i = 0; i < 2; i++) {
    const db = await openDatabase(database.options);
    dbs.push(db);
    const rest = new REST({ api: fake.restUrl, globalRequestsPerSecond: 1_000 }).setToken(fake.token);
    notifiers.push(new Notifier(db.prisma, pino({ level: "silent" }), rest));
  }
});
afterAll(async () => {
  await Promise.all(notifiers.map((n) => n.stop()));
  await Promise.all(dbs.map((d) => d.close()));
  await database?.dispose();
  await fake?.close();
});

describe("a shared outbox", () => {
  it("is drained by two dispatchers without a duplicate", async () => {
    const guild = fake.createGuild({ name: "Fleet" });
    const prisma = dbs[0]!.prisma;
    const channels = ["events", "shop", "player-intel"].map((name) => guild.createChannel({ name }).id);
    const users = await Promise.all(channels.map(async () => (await linkUser(prisma, fake.createUser().id)).id));
    await Promise.all(
      // Each user routes to a guild of their own (an integration is a guild's); only the channels are real.
      users.map((userId, i) => routeTo(prisma, userId, { guildId: String(BigInt(guild.id) + BigInt(i + 1)), guildName: "Fleet", eventsChannelId: channels[i]! })),
    );
    for (const notifier of notifiers) notifier.start({ soleProcess: false });
    await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        notifiers[i % 2]!.notify({
          userId: users[i % 3]!,
          dedupeKey: `e${i}`,
          event: { kind: "map-event", serverName: "S", event: "Cargo", text: `event ${i}`, at: new Date().toISOString() },
        }),
      ),
    );
    await Promise.all(notifiers.map((n) => n.idle()));
    await Promise.all(notifiers.map((n) => n.idle()));
    const posted = channels.flatMap((id) => fake.messages(id).flatMap((m) => m.embeds.map((e) => e.description)));
    expect(posted.sort()).toEqual(Array.from({ length: 90 }, (_, i) => `event ${i}`).sort());
    expect(await prisma.notificationOutbox.count({ where: { status: { not: "SENT" } } })).toBe(0);
  });
});
