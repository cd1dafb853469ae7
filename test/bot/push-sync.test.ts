// PushListener.sync(): credentials written by another process (the sidecar) are started (once the fleet's round
// holds the user's lease), replaced ones restarted, deleted ones stopped, and a push (which moves updatedAt)
// restarts nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeCredentials, saveCredentials } from "../../src/rustplus/credentials-store.ts";
import { parseConfigObject } from "../../src/rustplus/fcm-credentials.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { fcmConfig, pairingPush } from "../helpers/fcm-config.ts";

let fake: FakeDiscord;
let bot: TestBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.createGuild({ name: "Sync" });
  bot = await startTestBot(fake);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("push source sync", () => {
  it("follows the credential table: new, unchanged after a push, replaced, deleted", async () => {
    const user = await linkUser(bot.db.prisma, fake.createUser().id);
    const save = (androidId: string) => saveCredentials(bot.db.prisma, bot.ctx.secrets, user, parseConfigObject(fcmConfig(user.steamId, { androidId })));

    await save("1000000001");
    // A user with new credentials is claimed by a round of the fleet (this process holds no lease of theirs yet).
    expect(await bot.pushes.sync()).toEqual({ started: 0, stopped: 0 });
    await bot.fleet.round();
    const first = bot.pushFeed.running.get("1000000001");
    expect(first).toBeDefined();
    expect(await bot.pushes.sync()).toEqual({ started: 0, stopped: 0 });

    bot.pushFeed.deliver("1000000001", pairingPush("0:1%sync", user.steamId));
    await bot.pushes.drained();
    expect(await bot.pushes.sync()).toEqual({ started: 0, stopped: 0 });
    expect(bot.pushFeed.running.get("1000000001")).toBe(first);

    await save("1000000002");
    expect(await bot.pushes.sync()).toEqual({ started: 1, stopped: 0 });
    expect(bot.pushFeed.running.has("1000000001")).toBe(false);
    expect(bot.pushFeed.running.get("1000000002")?.persistentIds).toEqual(["0:1%sync"]);

    await removeCredentials(bot.db.prisma, user.id);
    expect(await bot.pushes.sync()).toEqual({ started: 0, stopped: 1 });
    expect(bot.pushFeed.running.size).toBe(0);
  });
});
