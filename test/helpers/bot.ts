// The bot in the test process, against the fake Discord and a fresh database.
import { PermissionFlagsBits, Routes, type APIUser } from "discord-api-types/v10";
import { commands } from "../../commands/index.ts";
import { createBot, type BotOptions, type RunningBot } from "../../src/bot/app.ts";
import { parseConfig } from "../../src/config.ts";
import { buildKeyring, formatKey, generateKey, SecretBox } from "../../src/db/crypto.ts";
import type { PrismaClient } from "../../src/db/client.ts";
import type { Prisma } from "../../src/generated/prisma/client.ts";
import { DISCORD_PROVIDER } from "../../src/identity/linked-user.ts";
import { Lifecycle } from "../../src/lifecycle.ts";
import type { FakeDiscord } from "../fakes/discord/index.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { steamId } from "./fixtures.ts";
import { capturedLogger } from "./logs.ts";
import { PushFeed } from "./push-feed.ts";

export interface TestBot extends RunningBot {
  /** Delivers pushes to the bot's listeners. */
  pushFeed: PushFeed;
  db: TestDatabase;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  /** Stops the client (as a crash or a deploy would), runs `whileDown`, and starts a new one on the same database. */
  restart(whileDown?: () => unknown): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestBot(
  fake: FakeDiscord,
  options: BotOptions & { env?: Record<string, string>; db?: TestDatabase; logLevel?: string; secrets?: SecretBox } = {},
): Promise<TestBot> {
  const db = options.db ?? (await createTestDatabase());
  const { logger, logs } = capturedLogger(options.logLevel);
  const config = parseConfig({ DISCORD_TOKEN: fake.token, DISCORD_REST_URL: fake.restUrl, NODE_ENV: "test", ...options.env });

  const pushFeed = new PushFeed();
  options = { pushSource: pushFeed.factory, ...options };
  // Bots sharing a database (a fleet) share its key too.
  const secrets = options.secrets ?? new SecretBox(buildKeyring(formatKey(1, generateKey())));
  let lifecycle = new Lifecycle(logger);
  let running = createBot(config, db, secrets, logger, lifecycle, options);
  await running.client.login(fake.token);
  await fake.waitForReady();
  // The first fleet round has claimed this process's work (users' sockets and push listeners, the intel poll).
  await running.fleet.round();
  // As `npm run deploy-commands` does: the fake then applies each command's default_member_permissions and contexts.
  await running.client.rest.put(Routes.applicationCommands(fake.applicationId), { body: (options.commands ?? commands).map((c) => c.data) });

  const bot: TestBot = {
    ...running,
    pushFeed,
    db,
    logs,
    async restart(whileDown) {
      await lifecycle.close("test restart");
      await whileDown?.();
      lifecycle = new Lifecycle(logger);
      running = createBot(config, db, secrets, logger, lifecycle, options);
      Object.assign(bot, running);
      await running.client.login(fake.token);
      await fake.waitForReady();
      await running.fleet.round();
    },
    async stop() {
      await lifecycle.close("test end");
      if (!options.db) await db.dispose();
    },
  };
  return bot;
}

/** A Discord user who has linked Steam: a User with a Discord Account. */
export async function linkUser(prisma: PrismaClient, discordUserId: string) {
  return prisma.user.create({
    data: { steamId: steamId(), displayName: "Linked player", accounts: { create: { provider: DISCORD_PROVIDER, providerAccountId: discordUserId } } },
  });
}

/**
 * A guild's /setup as rows (DiscordIntegration, created or updated) and `userId`'s notifications routed there
 * (User.notificationGuildId), as if the user had run `/setup use-here`.
 */
export async function routeTo(prisma: PrismaClient, userId: string, data: Prisma.DiscordIntegrationUncheckedCreateInput) {
  const { guildId, ...fields } = data;
  const integration = await prisma.discordIntegration.upsert({ where: { guildId }, create: data, update: fields });
  await prisma.user.update({ where: { id: userId }, data: { notificationGuildId: guildId } });
  return integration;
}

/**
 * What a player does before pushes reach the bot: `/setup run` in `guildId` (with Manage Server) and
 * `/credentials add` through the form for `steamId` under `androidId`; resolves once the push listener runs
 * (its source started in the push feed, or `listening` resolved, e.g. a login at the fake MCS server).
 */
export async function setUpAndListen(fake: FakeDiscord, bot: TestBot, options: { guildId: string; player: APIUser; steamId: string; androidId: string; listening?: Promise<unknown> }) {
  const { guildId, player, steamId, androidId } = options;
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: player, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  await fake
    .submitModal({ guildId, customId: "credentials", user: player, fields: { paste: "", androidId, securityToken: "5555555555", steamId, expiresAt: "2099-01-01" } })
    .then((h) => h.reply());
  await (options.listening ?? bot.pushFeed.started(androidId));
}
