// /setup: a category with one channel per notification family, recorded in the guild's DiscordIntegration
// (one per guild, serving every member whose notifications go there: route.ts). Running it again repairs: what was deleted is recreated, channels that exist (recorded, or named like ours under the
// category) are adopted, nothing is duplicated.
import {
  ChannelType,
  DiscordAPIError,
  OverwriteType,
  PermissionFlagsBits,
  type CategoryChannel,
  type Guild,
  type GuildBasedChannel,
  type OverwriteResolvable,
  type TextChannel,
} from "discord.js";
import type { DiscordIntegration, PrismaClient } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { serialize } from "../bot/serialize.ts";
import { FAMILIES, FAMILY_LIST, channelColumn, enabledColumn, familyState, type NotificationFamily } from "./families.ts";
import { BOT_CHANNEL_ALLOW, POST_PERMISSIONS, SETUP_PERMISSIONS, missingNames } from "./permissions.ts";

export const CATEGORY_NAME = "Rust+";

export type ChannelOutcome = "created" | "adopted" | "kept" | "off";

export interface SetupReport {
  categoryId: string;
  categoryCreated: boolean;
  channels: { family: NotificationFamily; outcome: ChannelOutcome; channelId: string | null }[];
  /** Channels that exist but where the bot cannot post, named with what is missing. */
  problems: string[];
}

/** `byDiscordId`: the Discord user running it (recorded; they need not have linked Steam). */
export function runSetup(prisma: PrismaClient, guild: Guild, byDiscordId: string, only?: NotificationFamily[]): Promise<SetupReport> {
  return serialize(`setup:${guild.id}`, () => setup(prisma, guild, byDiscordId, only));
}

async function setup(prisma: PrismaClient, guild: Guild, byDiscordId: string, only?: NotificationFamily[]): Promise<SetupReport> {
  const me = await guild.members.fetchMe();
  const missing = missingNames(me.permissions, SETUP_PERMISSIONS);
  if (missing.length) {
    throw new UserError(
      `I'm missing ${list(missing)} in **${guild.name}**. Give my role (${me.roles.botRole?.name ?? me.displayName}) ` +
        `${missing.length > 1 ? "these permissions" : "this permission"} in Server Settings → Roles, then run /setup again.`,
    );
  }
  const integration = (await prisma.discordIntegration.findUnique({ where: { guildId: guild.id } })) ?? undefined;
  const channels = await guild.channels.fetch();
  const find = (id: string | null | undefined) => (id ? (channels.get(id) ?? undefined) : undefined);

  let category = find(integration?.categoryId);
  let categoryCreated = false;
  if (category?.type !== ChannelType.GuildCategory) {
    category = channels.find((c) => c?.type === ChannelType.GuildCategory && c.name === CATEGORY_NAME) ?? undefined;
  }
  if (category?.type !== ChannelType.GuildCategory) {
    category = await create(guild, () => guild.channels.create({ name: CATEGORY_NAME, type: ChannelType.GuildCategory, permissionOverwrites: [botAllow(me.id)] }));
    categoryCreated = true;
  }
  const parent = category as CategoryChannel;

  const report: SetupReport = { categoryId: parent.id, categoryCreated, channels: [], problems: [] };
  const data: Partial<Record<string, string | null>> = {};
  for (const family of FAMILY_LIST) {
    const state = integration ? familyState(integration, family) : { enabled: true, channelId: null };
    const info = FAMILIES[family];
    if (!state.enabled || (only && !only.includes(family))) {
      report.channels.push({ family, outcome: "off", channelId: state.channelId });
      continue;
    }
    let channel = find(state.channelId);
    let outcome: ChannelOutcome = "kept";
    if (channel?.type !== ChannelType.GuildText) {
      channel = channels.find((c) => c?.type === ChannelType.GuildText && c.parentId === parent.id && c.name === info.channelName) ?? undefined;
      outcome = "adopted";
    }
    if (channel?.type !== ChannelType.GuildText) {
      channel = await create(guild, () =>
        guild.channels.create({
          name: info.channelName,
          type: ChannelType.GuildText,
          parent: parent.id,
          topic: info.topic,
          permissionOverwrites: [
            botAllow(me.id),
            ...(info.membersWrite ? [] : [{ id: guild.roles.everyone.id, type: OverwriteType.Role, deny: [PermissionFlagsBits.SendMessages] }]),
          ],
        }),
      );
      outcome = "created";
    }
    const text = channel as TextChannel;
    const cannot = missingNames(text.permissionsFor(me), POST_PERMISSIONS);
    if (cannot.length) report.problems.push(`I can't post in <#${text.id}>: missing ${list(cannot)} there (channel settings → Permissions).`);
    data[channelColumn(family)] = text.id;
    report.channels.push({ family, outcome, channelId: text.id });
  }

  const fields = { guildName: guild.name, categoryId: parent.id, setupByDiscordId: byDiscordId, ...data };
  await prisma.discordIntegration.upsert({ where: { guildId: guild.id }, create: { guildId: guild.id, ...fields }, update: fields });
  return report;
}

function botAllow(botId: string): OverwriteResolvable {
  return { id: botId, type: OverwriteType.Member, allow: BOT_CHANNEL_ALLOW };
}

async function create<T extends GuildBasedChannel>(guild: Guild, make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === 50013 || error.code === 50001)) {
      throw new UserError(`Discord refused to let me create channels in **${guild.name}** (${error.message}). Check that my role has Manage Channels and Manage Roles, and is not blocked on the category.`);
    }
    throw error;
  }
}

const list = (names: string[]) => names.map((n) => `**${n}**`).join(", ");

/** Switches a family on or off. Switching on creates its channel if it has none. */
export async function setFamily(
  prisma: PrismaClient,
  guild: Guild,
  byDiscordId: string,
  family: NotificationFamily,
  enabled: boolean,
): Promise<{ integration: DiscordIntegration; report?: SetupReport }> {
  const integration = await requireIntegration(prisma, guild.id);
  const updated = await prisma.discordIntegration.update({ where: { id: integration.id }, data: { [enabledColumn(family)]: enabled } });
  if (!enabled) return { integration: updated };
  const report = await runSetup(prisma, guild, byDiscordId, [family]);
  return { integration: await prisma.discordIntegration.findUniqueOrThrow({ where: { id: integration.id } }), report };
}

export async function requireIntegration(prisma: PrismaClient, guildId: string): Promise<DiscordIntegration> {
  const integration = await prisma.discordIntegration.findUnique({ where: { guildId } });
  if (!integration) throw new UserError("Notifications aren't set up in this server yet. Run `/setup run` first.");
  return integration;
}

/**
 * Forgets the guild's integration; with deleteChannels, also deletes the channels and category it recorded.
 * Members routed here keep their choice: their notifications wait until /setup is run here again.
 */
export async function removeSetup(prisma: PrismaClient, guild: Guild, deleteChannels: boolean): Promise<number> {
  const integration = await requireIntegration(prisma, guild.id);
  let deleted = 0;
  if (deleteChannels) {
    const ids = [...FAMILY_LIST.map((f) => integration[channelColumn(f)]), integration.categoryId].filter((id): id is string => !!id);
    for (const id of ids) {
      const channel = await guild.channels.fetch(id).catch(() => null);
      if (channel) {
        await channel.delete("/setup remove");
        deleted++;
      }
    }
  }
  await prisma.discordIntegration.delete({ where: { id: integration.id } });
  return deleted;
}
