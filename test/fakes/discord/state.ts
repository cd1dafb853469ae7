import {
  ChannelType, GuildDefaultMessageNotifications, GuildExplicitContentFilter, GuildMFALevel, GuildNSFWLevel, GuildPremiumTier,
  GuildSystemChannelFlags, GuildVerificationLevel, Locale, MessageType, RESTJSONErrorCodes as E,
  type APIDMChannel, type APIEmbed, type APIGuildCategoryChannel, type APIGuildMember, type APIMessage, type APIMessageTopLevelComponent,
  type APIOverwrite, type APIRole, type APITextChannel, type APIUser, type GatewayDispatchEvents, type GatewayGuildCreateDispatchData,
  type GuildMemberFlags, type RESTPutAPIApplicationCommandsJSONBody, type RESTPutAPIApplicationCommandsResult, type RoleFlags,
} from "discord-api-types/v10";
import { invalidBody, missingAccess, raise, RestError, unknown } from "./errors.ts";
import { checkMessage } from "./limits.ts";
import type { Dispatch } from "./gateway.ts";
import { basePermissions, channelPermissions } from "./permissions.ts";
import { snowflake, timestampOf } from "./snowflakes.ts";

export type GuildChannel = (APITextChannel | APIGuildCategoryChannel) & { guild_id: string };
export type StoredChannel = GuildChannel | APIDMChannel;
export interface GuildState {
  id: string; name: string; ownerId: string; joinedAt: string; botRoleId: string; channelIds: string[];
  roles: Map<string, APIRole>; members: Map<string, { user: APIUser; roles: string[]; joinedAt: string }>;
}
export interface UploadedFile { name: string; size: number; contentType: string; /** The bytes, served back at the attachment's URL as Discord's CDN does. */ data?: Uint8Array }
export interface MessageBody {
  content?: string; embeds?: APIEmbed[]; components?: APIMessageTopLevelComponent[]; flags?: number; tts?: boolean;
  nonce?: string | number; enforce_nonce?: boolean; attachments?: { id: string | number }[];
}
export interface ChannelInit {
  name: string; type?: ChannelType.GuildText | ChannelType.GuildCategory; parent_id?: string | null;
  permission_overwrites?: APIOverwrite[]; topic?: string | null; position?: number;
}
/**
 * A change a member's Discord client is told of on its own gateway connection (not the bot's): messages created,
 * edited, deleted (ephemeral ones included, which only their interaction's user sees), channels created,
 * updated, deleted, and the application's commands replaced. For a UI drawn over the fake (the playground).
 */
export type ClientEvent =
  | { type: "message-create" | "message-update"; message: APIMessage }
  | { type: "message-delete"; channelId: string; messageId: string }
  | { type: "channel-create" | "channel-update" | "channel-delete"; channel: GuildChannel }
  | { type: "commands" };

/** What routes and interactions need from the fake. */
export interface Context {
  world: World; applicationId: string; interactionTimeoutMs: number;
  /** To the session of the guild's shard (shard 0 for null: DMs); false when that shard has no session. */
  dispatch<T extends GatewayDispatchEvents>(guildId: string | null, t: T, d: Dispatch<T>["d"], intent?: number): boolean;
}

const now = (): string => new Date().toISOString();

export function makeUser(username: string, bot = false): APIUser {
  return { id: snowflake(), username, discriminator: bot ? "4821" : "0", global_name: bot ? null : username, avatar: null, bot };
}

/** Discord's checks on a new message: its limits (limits.ts), and not empty. */
export function validateMessage(body: MessageBody, files: UploadedFile[]): void {
  if (body.content !== undefined && typeof body.content !== "string") throw invalidBody("content", "BASE_TYPE_BAD_TYPE", "Must be a string.");
  checkMessage(body);
  if (!body.content && !body.embeds?.length && !body.components?.length && files.length === 0) {
    throw new RestError(400, { message: "Cannot send an empty message", code: E.CannotSendAnEmptyMessage });
  }
}

/** The fake's world: guilds with roles, members and channels; messages; registered commands. */
export class World {
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, StoredChannel>();
  readonly messages = new Map<string, APIMessage[]>();
  readonly users = new Map<string, APIUser>();
  /** Users who do not accept DMs from the bot: sending them one is 50007. */
  readonly dmsClosed = new Set<string>();
  /** Guilds the bot was removed from (FakeDiscord.removeBot): not in READY any more. */
  readonly removedFrom = new Set<string>();
  readonly commands = new Map<string, RESTPutAPIApplicationCommandsResult>(); // key "" = global, else guild id
  readonly commandBodies = new Map<string, RESTPutAPIApplicationCommandsJSONBody>(); // as the bot sent them

  constructor(readonly botUser: APIUser) {
    this.users.set(botUser.id, botUser);
  }

  createUser(username: string): APIUser {
    const user = makeUser(username);
    this.users.set(user.id, user);
    return user;
  }

  /** With @everyone, the bot's managed role, the owner and the bot; no channels, so tests see exactly what gets created. */
  createGuild(id: string, name: string, botPermissions: bigint, everyonePermissions: bigint): GuildState {
    const owner = this.createUser(`owner-${name.toLowerCase().replace(/\W+/g, "-")}`);
    const guild: GuildState = { id, name, ownerId: owner.id, joinedAt: now(), botRoleId: "", roles: new Map(), members: new Map(), channelIds: [] };
    this.guilds.set(id, guild);
    this.addRole(guild, { id, name: "@everyone", permissions: everyonePermissions });
    guild.botRoleId = this.addRole(guild, { name: this.botUser.username, permissions: botPermissions, bot: true }).id;
    this.addMember(guild, owner, []);
    this.addMember(guild, this.botUser, [guild.botRoleId]);
    return guild;
  }

  /** `mentionable` defaults to false, as Discord's Create Guild Role (https://discord.com/developers/docs/resources/guild#create-guild-role). */
  addRole(guild: GuildState, init: { id?: string; name: string; permissions: bigint; bot?: boolean; mentionable?: boolean }): APIRole {
    const role: APIRole = {
      id: init.id ?? snowflake(), name: init.name, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false, position: guild.roles.size, permissions: init.permissions.toString(), managed: init.bot === true, mentionable: init.mentionable === true,
      flags: 0 as RoleFlags, icon: null, unicode_emoji: null, ...(init.bot ? { tags: { bot_id: this.botUser.id } } : {}),
    };
    guild.roles.set(role.id, role);
    return role;
  }

  addMember(guild: GuildState, user: APIUser, roles: string[]): void {
    this.users.set(user.id, user);
    guild.members.set(user.id, { user, roles, joinedAt: now() });
  }

  createChannel(guild: GuildState, init: ChannelInit): GuildChannel {
    const parent = init.parent_id ? this.guildChannel(init.parent_id) : undefined;
    const base = {
      id: snowflake(), guild_id: guild.id, name: init.name, position: init.position ?? guild.channelIds.length, nsfw: false, flags: 0,
      // Like Discord: created in a category without overwrites, a channel starts synced with the category.
      permission_overwrites: init.permission_overwrites ?? parent?.permission_overwrites ?? [],
    };
    const channel: GuildChannel = init.type === ChannelType.GuildCategory
      ? { ...base, type: ChannelType.GuildCategory, parent_id: null }
      : { ...base, type: ChannelType.GuildText, parent_id: parent?.id ?? null, topic: init.topic ?? null, last_message_id: null, rate_limit_per_user: 0 };
    this.channels.set(channel.id, channel);
    this.messages.set(channel.id, []);
    guild.channelIds.push(channel.id);
    this.notify({ type: "channel-create", channel });
    return channel;
  }

  removeChannel(channel: GuildChannel): void {
    this.channels.delete(channel.id);
    this.messages.delete(channel.id);
    const guild = this.guild(channel.guild_id);
    guild.channelIds = guild.channelIds.filter((id) => id !== channel.id);
    this.notify({ type: "channel-delete", channel });
  }

  /** The bot's DM channel with `user`: the one already open, else a new one (as POST /users/@me/channels). */
  openDm(user: APIUser): APIDMChannel {
    const open = [...this.channels.values()].find((c): c is APIDMChannel => c.type === ChannelType.DM && (c.recipients ?? []).some((u) => u.id === user.id));
    if (open) return open;
    const dm: APIDMChannel = { id: snowflake(), type: ChannelType.DM, name: null, last_message_id: null, recipients: [user] };
    this.channels.set(dm.id, dm);
    this.messages.set(dm.id, []);
    return dm;
  }

  guild(id: string): GuildState {
    return this.guilds.get(id) ?? raise(unknown("Guild"));
  }

  channel(id: string): StoredChannel {
    return this.channels.get(id) ?? raise(unknown("Channel"));
  }

  guildChannel(id: string): GuildChannel {
    const channel = this.channel(id);
    return channel.type === ChannelType.DM ? raise(unknown("Channel")) : channel;
  }

  guildChannels(guild: GuildState): GuildChannel[] {
    return guild.channelIds.map((id) => this.guildChannel(id));
  }

  /** Permissions of a user in a guild, or in one of its channels. */
  permissions(guild: GuildState, userId: string, channel?: GuildChannel): bigint {
    const member = guild.members.get(userId);
    if (!member) return 0n;
    const who = { userId, roleIds: member.roles };
    return channel ? channelPermissions(guild, who, channel.permission_overwrites ?? []) : basePermissions(guild, who);
  }

  /** Missing Access without VIEW_CHANNEL, else `missing()` when a flag of `needed` is missing. DMs need nothing. */
  require(channel: StoredChannel, userId: string, needed: bigint, missing: () => Error): void {
    if (channel.type === ChannelType.DM) return;
    const permissions = this.permissions(this.guild(channel.guild_id), userId, channel);
    if (permissions === 0n) throw missingAccess();
    if ((permissions & needed) !== needed) throw missing();
  }

  /** The member object; without `user` for payloads that carry the user elsewhere (MESSAGE_CREATE, resolved). */
  member(guild: GuildState, userId: string, withUser?: true): APIGuildMember;
  member(guild: GuildState, userId: string, withUser: false): Omit<APIGuildMember, "user">;
  member(guild: GuildState, userId: string, withUser = true): Omit<APIGuildMember, "user"> {
    const member = guild.members.get(userId) ?? raise(unknown("Member"));
    return {
      ...(withUser ? { user: member.user } : {}), roles: member.roles, joined_at: member.joinedAt, deaf: false, mute: false,
      flags: 0 as GuildMemberFlags, nick: null, avatar: null, banner: null, premium_since: null, pending: false, communication_disabled_until: null,
    };
  }

  guildPayload(guild: GuildState): GatewayGuildCreateDispatchData {
    return {
      id: guild.id, name: guild.name, icon: null, splash: null, discovery_splash: null, banner: null, description: null, owner_id: guild.ownerId,
      afk_channel_id: null, afk_timeout: 300, verification_level: GuildVerificationLevel.Low, explicit_content_filter: GuildExplicitContentFilter.AllMembers,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions, roles: [...guild.roles.values()], emojis: [], stickers: [],
      features: [], mfa_level: GuildMFALevel.None, application_id: null, system_channel_id: null, rules_channel_id: null, vanity_url_code: null,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies, premium_tier: GuildPremiumTier.None, premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS, public_updates_channel_id: null, nsfw_level: GuildNSFWLevel.Default, premium_progress_bar_enabled: false,
      hub_type: null, safety_alerts_channel_id: null, incidents_data: null, max_members: 500000, max_video_channel_users: 25, joined_at: guild.joinedAt,
      large: false, unavailable: false, member_count: guild.members.size, members: [...guild.members.keys()].map((id) => this.member(guild, id)),
      channels: this.guildChannels(guild), threads: [], presences: [], voice_states: [], stage_instances: [], guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  createMessage(channelId: string, author: APIUser, body: MessageBody, files: UploadedFile[], extra: Partial<APIMessage> = {}): APIMessage {
    const id = snowflake();
    return {
      id, channel_id: channelId, author, content: body.content ?? "", timestamp: timestampOf(id), edited_timestamp: null, tts: body.tts ?? false,
      mention_everyone: false, mentions: [], mention_roles: [], attachments: attachments(files), embeds: body.embeds ?? [], pinned: false,
      type: MessageType.Default, flags: body.flags ?? 0, components: body.components ?? [], ...(body.nonce === undefined ? {} : { nonce: body.nonce }),
      ...extra,
    };
  }

  /** Told of every message stored (benchmarks time posts with it). */
  readonly stored = new Set<(message: APIMessage) => void>();

  store(message: APIMessage): void {
    this.messages.get(message.channel_id)?.push(message);
    for (const listener of this.stored) listener(message);
    this.notify({ type: "message-create", message });
  }

  /** Removes a stored message (no dispatch: the caller dispatches what Discord would). */
  removeMessage(message: APIMessage): void {
    const list = this.messages.get(message.channel_id);
    if (!list?.includes(message)) return;
    list.splice(list.indexOf(message), 1);
    this.notify({ type: "message-delete", channelId: message.channel_id, messageId: message.id });
  }

  /** Told of what members' clients would see change (FakeDiscord.onClientEvent). */
  readonly watchers = new Set<(event: ClientEvent) => void>();

  notify(event: ClientEvent): void {
    for (const watcher of this.watchers) watcher(event);
  }

  message(channelId: string, messageId: string): APIMessage {
    return this.messages.get(this.channel(channelId).id)?.find((m) => m.id === messageId) ?? raise(unknown("Message"));
  }
}

/** Uploaded files' bytes by attachment URL (what Discord's CDN would serve), for tests that look inside images. */
const uploaded = new Map<string, Uint8Array>();
export const attachmentBytes = (url: string): Uint8Array | undefined => uploaded.get(url);

function attachments(files: UploadedFile[]): APIMessage["attachments"] {
  return files.map((file) => {
    const id = snowflake();
    const url = `https://cdn.discordapp.com/attachments/fake/${id}/${encodeURIComponent(file.name)}`;
    if (file.data) {
      uploaded.set(url, file.data);
      // The newest 100 files only: a test file's many map images need not all stay in memory.
      if (uploaded.size > 100) uploaded.delete(uploaded.keys().next().value!);
    }
    return { id, filename: file.name, size: file.size, url, proxy_url: url, content_type: file.contentType };
  });
}

/** Applies an edit body to a stored message in place (content, embeds, components, flags, attachments kept by id plus new files). */
export function editMessage(message: APIMessage, body: MessageBody, files: UploadedFile[]): APIMessage {
  if (body.content !== undefined) message.content = body.content;
  if (body.embeds !== undefined) message.embeds = body.embeds;
  if (body.components !== undefined) message.components = body.components;
  if (body.flags !== undefined) message.flags = body.flags;
  if (body.attachments !== undefined || files.length > 0) {
    const kept = new Set((body.attachments ?? message.attachments).map((a) => String(a.id)));
    message.attachments = [...message.attachments.filter((a) => kept.has(a.id)), ...attachments(files)];
  }
  message.edited_timestamp = now();
  return message;
}
