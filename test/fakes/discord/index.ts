import {
  ChannelType, GatewayDispatchEvents as Event, GatewayIntentBits as Intent, type APIGuildChannel, type APIMessage, type APIRole, type APIUser,
  type APIOverwrite, type GatewayDispatchEvents, type RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { Gateway, type Dispatch } from "./gateway.ts";
import { FakeOAuth2 } from "./oauth2.ts";
import { Interactions, NotInvokable, type AutocompleteInit, type ButtonInit, type CommandInit, type DmButtonInit, type DmCommandInit, type InteractionHandle, type ModalInit, type SelectInit } from "./interactions.ts";
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS } from "./permissions.ts";
import { restRoutes } from "./rest-routes.ts";
import { RestServer, type FailRule, type HangRule, type RestCall } from "./server.ts";
import { shardOf, snowflake } from "./snowflakes.ts";
import { attachmentBytes, makeUser, World, type ChannelInit, type ClientEvent, type Context, type GuildState } from "./state.ts";

export type { FailRule, HangRule, RestCall } from "./server.ts";
export type {
  Actor, AutocompleteInit, ButtonInit, CommandInit, DmButtonInit, DmCommandInit, InteractionHandle, InteractionResponse, ModalInit, OptionValue, ReplyMessage, SelectInit,
} from "./interactions.ts";
export type { ChannelInit, ClientEvent } from "./state.ts";
export { ALL_PERMISSIONS, DEFAULT_BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS } from "./permissions.ts";
export { NotInvokable };
export { shardOf, snowflake } from "./snowflakes.ts";

export interface FakeDiscordOptions {
  /** Default "MTA.fake.token"; another token: gateway close 4004, REST 401. */ token?: string;
  applicationId?: string;
  /** Default 1; an IDENTIFY with another count is closed with 4010. */ shardCount?: number;
  /** Default 250. */ heartbeatIntervalMs?: number;
  /** Discord's window for the initial callback (default 3000); later callbacks get 404 Unknown interaction. */ interactionTimeoutMs?: number;
  /**
   * Discord's global limit: requests per second per bot token, in fixed one-second windows (default 50, as
   * Discord's); over it, a global 429. null: no limit (requests are still counted). See global-limit.ts.
   */
  globalRequestsPerSecond?: number | null;
}
export interface GuildInit {
  name: string; id?: string;
  /** Picks an id on that shard: (id >> 22) % shardCount === shard. */ shard?: number;
  /** Of the bot's managed role; default DEFAULT_BOT_PERMISSIONS (a typical invite). */ botPermissions?: bigint;
  /** Of @everyone; default 0, so members and the bot have exactly what their roles give. */ everyonePermissions?: bigint;
}
export type FakeChannel = APIGuildChannel<ChannelType.GuildText | ChannelType.GuildCategory>;
export interface FakeGuild {
  id: string; name: string; shard: number; everyoneRoleId: string; botRoleId: string; ownerId: string;
  /** As a human would: stored and dispatched (CHANNEL_CREATE, GUILD_ROLE_CREATE). */
  createChannel(init: ChannelInit): FakeChannel;
  /** `mentionable` (default false, as Discord's): whether any member may mention it, not only those with MENTION_EVERYONE. */
  createRole(name: string, permissions: bigint, options?: { mentionable?: boolean }): APIRole;
  /** As a human would in Server Settings → Roles: removed, GUILD_ROLE_DELETE dispatched (the roles' list no longer has it). */
  deleteRole(roleId: string): void;
  /** As a human would: "Allow anyone to @mention this role" switched, GUILD_ROLE_UPDATE dispatched. */
  setRoleMentionable(roleId: string, mentionable: boolean): void;
}
export interface SessionInfo { shardId: number; sessionId: string; seq: number; connected: boolean }

/** A Discord for tests: the real discord.js Client logs in to it over HTTP and WebSocket on 127.0.0.1. */
export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly shardCount: number;
  /** OAuth2 (identify) for the application: its client secret, and the user's authorize page (approve / deny). */
  readonly oauth2: FakeOAuth2;
  readonly #world: World;
  readonly #rest: RestServer;
  readonly #gateway: Gateway;
  readonly #interactions: Interactions;
  readonly #dropMarks = new Map<number, number>();
  #port = 0;
  #tester: APIUser | undefined;

  private constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? "MTA.fake.token";
    this.applicationId = options.applicationId ?? snowflake();
    this.shardCount = options.shardCount ?? 1;
    this.botUser = { ...makeUser("Fake Bot", true), id: this.applicationId };
    this.#world = new World(this.botUser);
    const ctx: Context = {
      world: this.#world, applicationId: this.applicationId, interactionTimeoutMs: options.interactionTimeoutMs ?? 3000,
      dispatch: (guildId, t, d, intent) => this.#dispatch(guildId, t, d, intent),
    };
    this.#interactions = new Interactions(ctx, (guild, user) => this.#member(guild, user));
    this.oauth2 = new FakeOAuth2(this.applicationId);
    this.#rest = new RestServer(this.token, { ...restRoutes(ctx, () => this.gatewayUrl, this.shardCount), ...this.#interactions.routes() }, this.oauth2, options.globalRequestsPerSecond === undefined ? 50 : options.globalRequestsPerSecond);
    this.#gateway = new Gateway(this.#rest.server, {
      token: this.token, shardCount: this.shardCount, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 250, botUser: this.botUser,
      applicationId: this.applicationId, gatewayUrl: () => this.gatewayUrl,
      guildsOfShard: (shardId) => [...this.#world.guilds.values()].filter((g) => !this.#world.removedFrom.has(g.id) && shardOf(g.id, this.shardCount) === shardId).map((g) => this.#world.guildPayload(g)),
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.#port = await fake.#rest.listen();
    return fake;
  }

  /** "http://127.0.0.1:PORT/api": the Client's `rest: { api }`. */
  get restUrl(): string { return `http://127.0.0.1:${this.#port}/api`; }
  /** What GET /gateway/bot answers, and READY's resume_gateway_url. */
  get gatewayUrl(): string { return `ws://127.0.0.1:${this.#port}/gateway`; }
  /** Every IDENTIFY received. */
  get identifies(): { shard: [number, number]; intents: number }[] { return this.#gateway.identifies; }
  /** Gateway closes the fake made (4004 bad token, 4010 bad shard), oldest first. */
  get gatewayCloses(): { code: number; shardId: number | undefined }[] { return this.#gateway.closes.items; }
  /** Every REST request, oldest first. */
  get calls(): RestCall[] { return this.#rest.calls.items; }
  /** Global 429s answered (Discord's 50 requests/s per token exceeded). */
  get globalRateLimited(): number { return this.#rest.globalLimit.refused; }
  /** The most requests one token made in one one-second window (interaction callbacks and webhooks not counted). */
  get maxRequestsPerSecond(): number { return this.#rest.globalLimit.maxPerSecond; }
  /** Requests counted against the global limit per one-second window: [window start (ms since the epoch), count]. */
  requestsPerSecond(): [number, number][] { return this.#rest.globalLimit.perWindow(); }

  /** Closes every socket and the server. */
  async close(): Promise<void> { await this.#gateway.close(); await this.#rest.close(); }

  // World

  createGuild(init: GuildInit): FakeGuild {
    const id = init.id ?? snowflake(init.shard === undefined ? undefined : { index: init.shard, count: this.shardCount });
    if (init.shard !== undefined && shardOf(id, this.shardCount) !== init.shard) throw new Error(`guild ${id} is not on shard ${init.shard}`);
    const guild = this.#world.createGuild(id, init.name, init.botPermissions ?? DEFAULT_BOT_PERMISSIONS, init.everyonePermissions ?? 0n);
    this.#dispatch(id, Event.GuildCreate, this.#world.guildPayload(guild), Intent.Guilds); // a session that is READY learns of it
    return this.guild(id);
  }

  /** Throws for an unknown id. */
  guild(id: string): FakeGuild {
    const guild = this.#world.guild(id);
    return {
      id, name: guild.name, shard: shardOf(id, this.shardCount), everyoneRoleId: id, botRoleId: guild.botRoleId, ownerId: guild.ownerId,
      createChannel: (init) => {
        const channel = this.#world.createChannel(guild, init);
        this.#dispatch(id, Event.ChannelCreate, channel, Intent.Guilds);
        return structuredClone(channel);
      },
      createRole: (name, permissions, options = {}) => {
        const role = this.#world.addRole(guild, { name, permissions, ...options });
        this.#dispatch(id, Event.GuildRoleCreate, { guild_id: id, role }, Intent.Guilds);
        return structuredClone(role);
      },
      deleteRole: (roleId) => {
        if (roleId === id || !guild.roles.delete(roleId)) throw new Error("no such role (or @everyone)");
        for (const member of guild.members.values()) member.roles = member.roles.filter((r) => r !== roleId);
        // https://discord.com/developers/docs/events/gateway-events#guild-role-delete
        this.#dispatch(id, Event.GuildRoleDelete, { guild_id: id, role_id: roleId }, Intent.Guilds);
      },
      setRoleMentionable: (roleId, mentionable) => {
        const role = guild.roles.get(roleId);
        if (!role) throw new Error("no such role");
        role.mentionable = mentionable;
        this.#dispatch(id, Event.GuildRoleUpdate, { guild_id: id, role }, Intent.Guilds);
      },
    };
  }

  /** Sets the permissions of the bot's managed role and dispatches GUILD_ROLE_UPDATE. */
  setBotPermissions(guildId: string, permissions: bigint): void {
    const guild = this.#world.guild(guildId);
    this.#setRole(guildId, guild.roles.get(guild.botRoleId), permissions);
  }

  /** A user; `globalName` (display name, default the username) and `avatar` (an image hash, default none) as Discord's user object has them. */
  createUser(init: { username?: string; globalName?: string | null; avatar?: string | null } = {}): APIUser {
    const user = this.#world.createUser(init.username ?? `user${this.#world.users.size}`);
    if (init.globalName !== undefined) user.global_name = init.globalName;
    if (init.avatar !== undefined) user.avatar = init.avatar;
    return user;
  }

  /** Adds the user with a role of its own holding `permissions`; for a member already there, sets that role's permissions. */
  addMember(guildId: string, user: APIUser, permissions = DEFAULT_MEMBER_PERMISSIONS): void {
    const guild = this.#world.guild(guildId);
    const own = guild.members.get(user.id)?.roles.map((id) => guild.roles.get(id)).find((r) => r?.name === user.username);
    if (own) return this.#setRole(guildId, own, permissions);
    const role = this.#world.addRole(guild, { name: user.username, permissions });
    this.#dispatch(guildId, Event.GuildRoleCreate, { guild_id: guildId, role }, Intent.Guilds);
    this.#world.addMember(guild, user, [role.id]);
    this.#dispatch(guildId, Event.GuildMemberAdd, { ...this.#world.member(guild, user.id), guild_id: guildId }, Intent.GuildMembers);
  }

  /** As a human would: removes it and dispatches CHANNEL_DELETE. */
  deleteChannel(channelId: string): void {
    const channel = this.#world.guildChannel(channelId);
    this.#world.removeChannel(channel);
    this.#dispatch(channel.guild_id, Event.ChannelDelete, channel, Intent.Guilds);
  }

  /** As a moderator would: sets (or with allow and deny "0", clears) one permission overwrite of a channel; dispatches CHANNEL_UPDATE. */
  setOverwrite(channelId: string, overwrite: APIOverwrite): void {
    const channel = this.#world.guildChannel(channelId);
    const others = (channel.permission_overwrites ?? []).filter((o) => o.id !== overwrite.id);
    channel.permission_overwrites = overwrite.allow === "0" && overwrite.deny === "0" ? others : [...others, structuredClone(overwrite)];
    this.#dispatch(channel.guild_id, Event.ChannelUpdate, channel, Intent.Guilds);
    this.#world.notify({ type: "channel-update", channel });
  }

  /**
   * As a guild admin kicking the bot would: the bot is no longer a member (its REST calls there get 403
   * Missing Access, as Discord answers for a guild the bot is not in) and GUILD_DELETE without `unavailable`
   * is dispatched (the gateway's "removed from the guild", which discord.js emits as guildDelete).
   */
  removeBot(guildId: string): void {
    const guild = this.#world.guild(guildId);
    this.#dispatch(guildId, Event.GuildDelete, { id: guildId } as Dispatch<Event.GuildDelete>["d"], Intent.Guilds);
    guild.members.delete(this.botUser.id);
    this.#world.removedFrom.add(guildId);
  }

  /** As a moderator would: removes a message and dispatches MESSAGE_DELETE. */
  deleteMessage(channelId: string, messageId: string): void {
    this.#world.removeMessage(this.#world.message(channelId, messageId));
    const channel = this.#world.channel(channelId);
    const guildId = channel.type === ChannelType.DM ? null : channel.guild_id;
    this.#dispatch(guildId, Event.MessageDelete, { id: messageId, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) }, guildId ? Intent.GuildMessages : Intent.DirectMessages);
  }

  /** Categories and text channels, with parent_id and permission_overwrites (copies). */
  channels(guildId: string): FakeChannel[] { return structuredClone(this.#world.guildChannels(this.#world.guild(guildId))); }
  /** As stored (copies), oldest first; [] for an unknown channel. */
  messages(channelId: string): APIMessage[] { return structuredClone(this.#world.messages.get(channelId) ?? []); }
  /** Calls `listener` with every message stored from now on (not a copy: read it, do not keep or change it). */
  onMessage(listener: (message: APIMessage) => void): () => void {
    this.#world.stored.add(listener);
    return () => this.#world.stored.delete(listener);
  }
  /**
   * Calls `listener` with what members' clients would be told of from now on (see ClientEvent): every message
   * created, edited or deleted, ephemeral ones too, and channel and command changes. Not copies: read, do not keep.
   */
  onClientEvent(listener: (event: ClientEvent) => void): () => void {
    this.#world.watchers.add(listener);
    return () => this.#world.watchers.delete(listener);
  }
  /** The guild's roles (copies), as its members' clients list them. */
  roles(guildId: string): APIRole[] { return structuredClone([...this.#world.guild(guildId).roles.values()]); }
  /** The guild's members' users (copies). */
  members(guildId: string): APIUser[] { return structuredClone([...this.#world.guild(guildId).members.values()].map((m) => m.user)); }
  /** The bot's DMs with a user (copies), oldest first; [] before the bot opened one. */
  dmMessages(userId: string): APIMessage[] {
    const dm = [...this.#world.channels.values()].find((c) => c.type === ChannelType.DM && c.recipients?.some((u) => u.id === userId));
    return dm ? this.messages(dm.id) : [];
  }
  /** The user stops (or starts again) accepting DMs from the bot: a DM to them is then 403 50007. */
  setDmsOpen(userId: string, open: boolean): void {
    if (open) this.#world.dmsClosed.delete(userId);
    else this.#world.dmsClosed.add(userId);
  }

  // Gateway

  /** Resolves when the shard's current session got READY and its GUILD_CREATEs (at once if it already has). */
  async waitForReady(shardId = 0): Promise<void> {
    const session = this.#gateway.sessions.get(shardId);
    if (session?.socket && this.#gateway.readies.items.some((r) => r.sessionId === session.sessionId)) return;
    await this.#gateway.readies.next((r) => r.shardId === shardId);
  }

  sessions(): SessionInfo[] {
    return [...this.#gateway.sessions.values()].map((s) => ({ shardId: s.shardId, sessionId: s.sessionId, seq: s.seq, connected: s.socket !== null }));
  }

  /** Closes the shard's socket with 4000; what is dispatched until the client RESUMEs is buffered and replayed. */
  async dropConnection(shardId = 0): Promise<void> {
    this.#dropMarks.set(shardId, this.#gateway.resumes.items.length);
    await this.#gateway.drop(shardId);
  }

  /** Resolves on the shard's first RESUME since the last dropConnection (or the next one). */
  async waitForResume(shardId = 0): Promise<void> {
    await this.#gateway.resumes.waitFor((r) => r.shardId === shardId, this.#dropMarks.get(shardId) ?? this.#gateway.resumes.items.length);
  }

  // Interactions: INTERACTION_CREATE to the session of the guild's shard; a user who is not a member yet joins first.
  // A registered command the member may not use (default_member_permissions, contexts) throws NotInvokable instead.

  async sendCommand(init: CommandInit): Promise<InteractionHandle> { return this.#interactions.command(init); }
  /** A slash command in the bot's DM with `init.user` (shard 0); NotInvokable for one Discord offers only in guilds. */
  async sendDmCommand(init: DmCommandInit): Promise<InteractionHandle> { return this.#interactions.dmCommand(init); }
  /** The bytes of an attachment the bot uploaded, by its URL (as Discord's CDN serves them). */
  attachment(url: string): Uint8Array | undefined { return attachmentBytes(url); }
  async clickButton(init: ButtonInit): Promise<InteractionHandle> { return this.#interactions.component(init); }
  /** A button on the bot's message in its DM with `init.user`. */
  async clickDmButton(init: DmButtonInit): Promise<InteractionHandle> { return this.#interactions.dmComponent(init); }
  async selectMenu(init: SelectInit): Promise<InteractionHandle> { return this.#interactions.component(init); }
  async submitModal(init: ModalInit): Promise<InteractionHandle> { return this.#interactions.modal(init); }

  /** Resolves with the choices of the bot's AUTOCOMPLETE_RESULT. */
  async autocomplete(init: AutocompleteInit): Promise<{ name: string; value: string | number }[]> {
    const { data } = await this.#interactions.command(init, init.focused).response;
    return (data as { choices?: { name: string; value: string | number }[] } | undefined)?.choices ?? [];
  }

  /** A human's message: stored and dispatched as MESSAGE_CREATE (content blanked without the MessageContent intent, unless it mentions the bot). */
  postUserMessage(init: { channelId: string; user: APIUser; content: string }): APIMessage {
    const channel = this.#world.guildChannel(init.channelId);
    const guild = this.#world.guild(channel.guild_id);
    this.#member(guild, init.user);
    const mentions = [...init.content.matchAll(/<@!?(\d+)>/g)].flatMap((m) => this.#world.users.get(m[1] ?? "") ?? []);
    const message = this.#world.createMessage(channel.id, init.user, { content: init.content }, [], { mentions });
    this.#world.store(message);
    const canRead = (this.#gateway.intentsOf(shardOf(guild.id, this.shardCount)) & Intent.MessageContent) !== 0 || mentions.some((u) => u.id === this.botUser.id);
    const seen = canRead ? message : { ...message, content: "", embeds: [], attachments: [], components: [] };
    this.#dispatch(guild.id, Event.MessageCreate, { ...seen, guild_id: guild.id, member: this.#world.member(guild, init.user.id, false), mentions }, Intent.GuildMessages);
    return structuredClone(message);
  }

  // REST record

  /** The first call, past or future, that matches. */
  waitForCall(predicate: (call: RestCall) => boolean): Promise<RestCall> { return this.#rest.calls.waitFor(predicate); }
  /** The next call from now on that matches. */
  nextCall(predicate: (call: RestCall) => boolean = () => true): Promise<RestCall> { return this.#rest.calls.next(predicate); }
  /** The next matching request(s) fail: 429 with Discord's rate-limit body and headers, or a 5xx with a plain body. */
  failNext(rule: FailRule): void { this.#rest.failNext(rule); }
  /** The next matching requests take effect but are never answered (status 0 in calls). */
  hangNext(rule: HangRule): void { this.#rest.hangNext(rule); }

  /** The commands last PUT, as the bot sent them: global, or for a guild. */
  commands(guildId?: string): RESTPutAPIApplicationCommandsJSONBody {
    return structuredClone(this.#world.commandBodies.get(guildId ?? "") ?? []);
  }

  #setRole(guildId: string, role: APIRole | undefined, permissions: bigint): void {
    if (!role) throw new Error("no such role");
    role.permissions = permissions.toString();
    this.#dispatch(guildId, Event.GuildRoleUpdate, { guild_id: guildId, role }, Intent.Guilds);
  }

  #member(guild: GuildState, user?: APIUser): APIUser {
    const who = user ?? (this.#tester ??= this.createUser({ username: "tester" }));
    if (!guild.members.has(who.id)) this.addMember(guild.id, who);
    return who;
  }

  #dispatch<T extends GatewayDispatchEvents>(guildId: string | null, t: T, d: Dispatch<T>["d"], intent?: number): boolean {
    return this.#gateway.dispatch(guildId ? shardOf(guildId, this.shardCount) : 0, t, d, intent);
  }
}
