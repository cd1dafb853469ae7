// Where a user's notifications go. A guild's /setup (one DiscordIntegration per guild) serves every member
// who routes there: the guild the user chose (User.notificationGuildId: `/setup use-here`, or a button on the
// pairing message), or, until they choose, the one set-up guild they share with the bot, which is then taken
// as their choice (and they are told). With several, nothing is guessed: they are asked. A team's
// notifications therefore never reach a guild its member did not choose or default to.
import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import type { DiscordIntegration, Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { customId, Prefix } from "../bot/custom-ids.ts";
import type { NotificationButton } from "./buttons.ts";
import { discordCode, isRefusal } from "./discord-errors.ts";

/** lastError of a row waiting because its user routes to no set-up guild; kept on release so they are told once. */
export const NO_GUILD_PREFIX = "waiting: no Discord server set up for this user";

export interface GuildChoice {
  guildId: string;
  guildName: string;
}

export type Route =
  /** `defaulted`: the guild was just taken as the user's choice, being the only set-up one they share. */
  | { kind: "guild"; integration: DiscordIntegration; defaulted: boolean }
  /** The user chose a guild that has no /setup (any more): rows wait for /setup there. */
  | { kind: "chosen"; guildId: string }
  /** No choice: `choices` are the set-up guilds they share with the bot (none, or several to pick from). */
  | { kind: "none"; choices: GuildChoice[] };

/** The integration of the guild the user chose, if they chose one and it is set up. Database only. */
export async function chosenIntegration(db: PrismaClient | Prisma.TransactionClient, userId: string): Promise<DiscordIntegration | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { notificationGuildId: true } });
  if (!user?.notificationGuildId) return null;
  return db.discordIntegration.findUnique({ where: { guildId: user.notificationGuildId } });
}

/**
 * The route of `userId`'s notifications; a user without a choice who shares exactly one set-up guild with the
 * bot gets it as their choice. `discordUserId` undefined: the user has no Discord account, so no guild is
 * looked up. Asks Discord (REST, so any process can) one member lookup per set-up guild, only for a user
 * who has not chosen. Throws what Discord throws other than "not a member" (the caller retries).
 */
export async function resolveRoute(prisma: PrismaClient, rest: REST, userId: string, discordUserId: string | undefined): Promise<Route> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { notificationGuildId: true } });
  if (user?.notificationGuildId) {
    const integration = await prisma.discordIntegration.findUnique({ where: { guildId: user.notificationGuildId } });
    return integration ? { kind: "guild", integration, defaulted: false } : { kind: "chosen", guildId: user.notificationGuildId };
  }
  if (!user || !discordUserId) return { kind: "none", choices: [] };
  const choices = await sharedSetUpGuilds(prisma, rest, discordUserId);
  const only = choices.length === 1 ? choices[0] : undefined;
  if (!only) return { kind: "none", choices };
  // Only if still unchosen: a choice made meanwhile (another process, a button) wins.
  const { count } = await prisma.user.updateMany({ where: { id: userId, notificationGuildId: null }, data: { notificationGuildId: only.guildId } });
  if (count === 0) return resolveRoute(prisma, rest, userId, discordUserId);
  const integration = await prisma.discordIntegration.findUnique({ where: { guildId: only.guildId } });
  return integration ? { kind: "guild", integration, defaulted: true } : { kind: "chosen", guildId: only.guildId };
}

/** The set-up guilds `discordUserId` is a member of, by name. */
export async function sharedSetUpGuilds(prisma: PrismaClient, rest: REST, discordUserId: string): Promise<GuildChoice[]> {
  const guilds = await prisma.discordIntegration.findMany({ select: { guildId: true, guildName: true }, orderBy: { installedAt: "asc" } });
  const shared: GuildChoice[] = [];
  for (const guild of guilds) {
    if (await isMember(rest, guild.guildId, discordUserId)) shared.push(guild);
  }
  return shared;
}

/** 10007 Unknown Member; 10004 Unknown Guild and 50001 Missing Access: the bot is no longer there. */
const NOT_THERE: ReadonlySet<number> = new Set([10007, 10004, 50001]);

export async function isMember(rest: REST, guildId: string, discordUserId: string): Promise<boolean> {
  try {
    await rest.get(Routes.guildMember(guildId, discordUserId));
    return true;
  } catch (error) {
    const code = discordCode(error);
    if (code !== undefined && NOT_THERE.has(code)) return false;
    if (isRefusal(error) && (error as { status: number }).status === 404) return false;
    throw error;
  }
}

/** Buttons choosing among guilds (Discord allows 5 in a row; a sixth and later are left to /setup use-here). */
export function choiceButtons(choices: readonly GuildChoice[]): NotificationButton[] {
  return choices.slice(0, 5).map((c) => ({ customId: customId(Prefix.route, c.guildId), label: `Use ${c.guildName}`, style: "primary" }));
}

/** One line saying where a user's notifications go and how to change it (the pairing message ends with it). */
export function routeLine(route: Route): string {
  switch (route.kind) {
    case "guild":
      return route.defaulted
        ? `Notifications for your servers go to **${route.integration.guildName}**, the one Discord server you share with the bot where \`/setup\` was run. To use another server, run \`/setup use-here\` there.`
        : `Notifications for your servers go to **${route.integration.guildName}**. To use another server, run \`/setup use-here\` there.`;
    case "chosen":
      return "Notifications for your servers go to the Discord server you chose, which is not set up any more: they wait until an admin runs `/setup run` there, or you run `/setup use-here` in another server.";
    case "none":
      return route.choices.length > 1
        ? `You share several set-up servers with the bot (${route.choices.map((c) => `**${c.guildName}**`).join(", ")}): choose where your notifications go with a button below, or run \`/setup use-here\` in that server. They wait until you choose.`
        : "No Discord server you share with the bot has been set up: alarms, events and device cards wait until an admin runs `/setup run` in your team's server; they are posted then (you need no special permission).";
  }
}

/** Makes `guildId` (which must be set up) the user's choice. Returns the guild name it replaced, if any. */
export async function chooseGuild(prisma: PrismaClient, userId: string, integration: Pick<DiscordIntegration, "guildId">): Promise<{ previous: string | null }> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { notificationGuildId: true } });
  await prisma.user.update({ where: { id: userId }, data: { notificationGuildId: integration.guildId } });
  const previous = user.notificationGuildId && user.notificationGuildId !== integration.guildId ? user.notificationGuildId : null;
  if (!previous) return { previous: null };
  const old = await prisma.discordIntegration.findUnique({ where: { guildId: previous }, select: { guildName: true } });
  return { previous: old?.guildName ?? "another server" };
}
