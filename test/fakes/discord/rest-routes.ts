import {
  ApplicationCommandType, ChannelType, GatewayDispatchEvents as Event, GatewayIntentBits as Intent, OverwriteType, PermissionFlagsBits as P, RESTJSONErrorCodes as E,
  type APIApplicationCommand, type APIOverwrite, type RESTGetAPIGatewayBotResult, type RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { invalidBody, missingPermissions, raise, RestError, unknown } from "./errors.ts";
import { checkCommandOptions, checkMessage, FormErrors } from "./limits.ts";
import { Reply, type RestRequest, type Routes } from "./server.ts";
import { snowflake } from "./snowflakes.ts";
import { editMessage, validateMessage, type ChannelInit, type Context, type GuildChannel, type GuildState, type MessageBody } from "./state.ts";

type Json = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const id = (r: RestRequest, i = 0): string => r.params[i] ?? "";
const guildIdOf = (channel: { type: ChannelType; guild_id?: string }): string | null => (channel.type === ChannelType.DM ? null : (channel.guild_id ?? null));
const messageIntent = (guildId: string | null): number => (guildId ? Intent.GuildMessages : Intent.DirectMessages);

/** Channel, guild, message, DM, user, application and command routes, with Discord's permission checks. */
export function restRoutes(ctx: Context, gatewayUrl: () => string, shardCount: number): Routes {
  const { world } = ctx;
  const bot = world.botUser;
  /** Needs `flags` in the channel (no VIEW_CHANNEL there is Missing Access), or guild-wide without a channel. */
  const need = (guild: GuildState, channel: GuildChannel | undefined, flags: bigint): void => {
    if (channel) return world.require(channel, bot.id, flags | P.ViewChannel, missingPermissions);
    if ((world.permissions(guild, bot.id) & flags) !== flags) throw missingPermissions();
  };
  const guildOf = (channel: GuildChannel): GuildState => world.guild(channel.guild_id);
  const channelBody = (guild: GuildState, body: unknown): Partial<ChannelInit> => {
    const b = (body ?? {}) as Json;
    const name = str(b.name);
    if (b.name !== undefined && (!name || name.length > 100)) throw invalidBody("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
    if (b.type !== undefined && b.type !== ChannelType.GuildText && b.type !== ChannelType.GuildCategory) {
      throw invalidBody("type", "BASE_TYPE_CHOICES", "Value must be one of {0, 4}.");
    }
    const parentId = str(b.parent_id);
    const parent = parentId ? world.channels.get(parentId) : undefined;
    if (parentId && (parent?.type !== ChannelType.GuildCategory || parent.guild_id !== guild.id)) {
      throw invalidBody("parent_id", "CHANNEL_PARENT_INVALID", "Category does not exist.");
    }
    const overwrites = (b.permission_overwrites as Partial<APIOverwrite>[] | undefined)?.map((o) =>
      ({ id: String(o.id), type: o.type ?? OverwriteType.Role, allow: String(o.allow ?? "0"), deny: String(o.deny ?? "0") }));
    if (overwrites) need(guild, undefined, P.ManageRoles);
    return {
      ...(name ? { name } : {}), ...(b.type === undefined ? {} : { type: b.type as ChannelType.GuildText | ChannelType.GuildCategory }),
      ...("parent_id" in b ? { parent_id: parentId ?? null } : {}), ...(overwrites ? { permission_overwrites: overwrites } : {}),
      ...("topic" in b ? { topic: str(b.topic) ?? null } : {}), ...(typeof b.position === "number" ? { position: b.position } : {}),
    };
  };
  const putCommands = (r: RestRequest, guildId: string): APIApplicationCommand[] => {
    if (guildId) world.guild(guildId);
    if (!Array.isArray(r.body)) throw invalidBody("_root", "BASE_TYPE_ARRAY", "Must be an array.");
    const body = r.body as RESTPutAPIApplicationCommandsJSONBody;
    const old = world.commands.get(guildId) ?? [];
    const result = body.map((command, i): APIApplicationCommand => {
      const type = command.type ?? ApplicationCommandType.ChatInput;
      const chatInput = type === ApplicationCommandType.ChatInput;
      if (!/^[-_\p{L}\p{N}]{1,32}$/u.test(str(command.name) ?? "") || (chatInput && command.name !== command.name.toLowerCase())) {
        throw invalidBody(`${i}.name`, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
      }
      const description = "description" in command ? command.description : "";
      if (chatInput && (!description || description.length > 100)) throw invalidBody(`${i}.description`, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
      const errors = new FormErrors();
      checkCommandOptions(errors, String(i), "options" in command ? command.options : undefined);
      errors.throwIfAny();
      return {
        ...command, type, description, id: old.find((c) => c.name === command.name && c.type === type)?.id ?? snowflake(), application_id: ctx.applicationId,
        version: snowflake(), default_member_permissions: command.default_member_permissions ?? null, ...(guildId ? { guild_id: guildId } : {}),
      } as APIApplicationCommand;
    });
    world.commands.set(guildId, result);
    world.commandBodies.set(guildId, structuredClone(body));
    world.notify({ type: "commands" });
    return result;
  };
  const changed = (channel: GuildChannel, t: Event.ChannelCreate | Event.ChannelUpdate | Event.ChannelDelete): GuildChannel => {
    ctx.dispatch(channel.guild_id, t, channel, Intent.Guilds);
    if (t === Event.ChannelUpdate) world.notify({ type: "channel-update", channel }); // create and delete: World tells
    return channel;
  };
  const overwrite = (r: RestRequest, change: (list: APIOverwrite[]) => APIOverwrite[]): Reply => {
    const channel = world.guildChannel(id(r));
    need(guildOf(channel), channel, P.ManageRoles);
    channel.permission_overwrites = change((channel.permission_overwrites ?? []).filter((o) => o.id !== id(r, 1)));
    changed(channel, Event.ChannelUpdate);
    return new Reply(204);
  };

  return {
    "GET /gateway": () => ({ url: gatewayUrl() }),
    "GET /gateway/bot": (): RESTGetAPIGatewayBotResult => ({
      url: gatewayUrl(), shards: shardCount,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: Math.max(16, shardCount) },
    }),
    "GET /users/@me": () => bot,
    "GET /users/:id": (r) => world.users.get(id(r)) ?? raise(unknown("User")),
    "GET /applications/@me": () => ({
      id: ctx.applicationId, name: bot.username, icon: null, description: "", bot_public: true, bot_require_code_grant: false,
      verify_key: "0".repeat(64), flags: 1 << 19, bot, team: null, summary: "",
    }),
    "GET /applications/:id/commands": () => world.commands.get("") ?? [],
    "PUT /applications/:id/commands": (r) => putCommands(r, ""),
    "GET /applications/:id/guilds/:id/commands": (r) => world.commands.get(id(r, 1)) ?? [],
    "PUT /applications/:id/guilds/:id/commands": (r) => putCommands(r, id(r, 1)),

    "GET /guilds/:id": (r) => world.guildPayload(world.guild(id(r))),
    "GET /guilds/:id/channels": (r) => world.guildChannels(world.guild(id(r))),
    "POST /guilds/:id/channels": (r) => {
      const guild = world.guild(id(r));
      const init = channelBody(guild, r.body);
      if (!init.name) throw invalidBody("name", "BASE_TYPE_REQUIRED", "This field is required");
      need(guild, init.parent_id ? world.guildChannel(init.parent_id) : undefined, P.ManageChannels);
      return new Reply(201, changed(world.createChannel(guild, { ...init, name: init.name }), Event.ChannelCreate));
    },
    "GET /guilds/:id/roles": (r) => [...world.guild(id(r)).roles.values()],
    "POST /guilds/:id/roles": (r) => {
      const guild = world.guild(id(r));
      need(guild, undefined, P.ManageRoles);
      const b = (r.body ?? {}) as { name?: string; permissions?: string; mentionable?: boolean };
      const permissions = BigInt(b.permissions ?? "0");
      if ((permissions & ~world.permissions(guild, bot.id)) !== 0n) throw missingPermissions(); // cannot grant what it lacks
      const role = world.addRole(guild, { name: b.name ?? "new role", permissions, mentionable: b.mentionable === true });
      ctx.dispatch(guild.id, Event.GuildRoleCreate, { guild_id: guild.id, role }, Intent.Guilds);
      return role;
    },
    "GET /guilds/:id/members/:id": (r) => world.member(world.guild(id(r)), id(r, 1)),

    "GET /channels/:id": (r) => {
      const channel = world.channel(id(r));
      world.require(channel, bot.id, P.ViewChannel, missingPermissions);
      return channel;
    },
    "PATCH /channels/:id": (r) => {
      const channel = world.guildChannel(id(r));
      need(guildOf(channel), channel, P.ManageChannels);
      return changed(Object.assign(channel, channelBody(guildOf(channel), r.body)), Event.ChannelUpdate);
    },
    "DELETE /channels/:id": (r) => {
      const channel = world.channel(id(r));
      if (channel.type === ChannelType.DM) return channel;
      need(guildOf(channel), channel, P.ManageChannels);
      world.removeChannel(channel);
      return changed(channel, Event.ChannelDelete);
    },
    "PUT /channels/:id/permissions/:id": (r) => overwrite(r, (list) => {
      const b = (r.body ?? {}) as Partial<APIOverwrite>;
      if (b.type !== OverwriteType.Role && b.type !== OverwriteType.Member) throw invalidBody("type", "BASE_TYPE_CHOICES", "Value must be one of {0, 1}.");
      return [...list, { id: id(r, 1), type: b.type, allow: String(b.allow ?? "0"), deny: String(b.deny ?? "0") }];
    }),
    "DELETE /channels/:id/permissions/:id": (r) => overwrite(r, (list) => list),

    "POST /users/@me/channels": (r) => {
      const recipient = world.users.get(str((r.body as Json | undefined)?.recipient_id) ?? "") ?? raise(unknown("User"));
      return world.openDm(recipient);
    },
    "GET /channels/:id/messages": (r) => {
      const channel = world.channel(id(r));
      world.require(channel, bot.id, P.ViewChannel | P.ReadMessageHistory, missingPermissions);
      const [before, after] = [r.query.get("before"), r.query.get("after")];
      return (world.messages.get(channel.id) ?? []).filter((m) => (!before || BigInt(m.id) < BigInt(before)) && (!after || BigInt(m.id) > BigInt(after)))
        .reverse().slice(0, Number(r.query.get("limit") ?? 50));
    },
    "GET /channels/:id/messages/:id": (r) => {
      world.require(world.channel(id(r)), bot.id, P.ViewChannel | P.ReadMessageHistory, missingPermissions);
      return world.message(id(r), id(r, 1));
    },
    "POST /channels/:id/messages": (r) => {
      const channel = world.channel(id(r));
      const body = (r.body ?? {}) as MessageBody;
      world.require(channel, bot.id, P.ViewChannel | P.SendMessages | (body.embeds?.length ? P.EmbedLinks : 0n) | (r.files.length ? P.AttachFiles : 0n), missingPermissions);
      validateMessage(body, r.files);
      if (channel.type === ChannelType.DM && channel.recipients?.some((u) => world.dmsClosed.has(u.id))) {
        throw new RestError(403, { message: "Cannot send messages to this user", code: E.CannotSendMessagesToThisUser });
      }
      const same = body.enforce_nonce && body.nonce !== undefined
        ? world.messages.get(channel.id)?.find((m) => m.nonce === body.nonce && m.author.id === bot.id) : undefined;
      if (same) return same; // enforce_nonce: the same nonce again answers with the message it created
      const message = world.createMessage(channel.id, bot, body, r.files);
      world.store(message);
      const guildId = guildIdOf(channel);
      const member = guildId ? { guild_id: guildId, member: world.member(world.guild(guildId), bot.id, false) } : {};
      ctx.dispatch(guildId, Event.MessageCreate, { ...message, ...member, mentions: [] }, messageIntent(guildId));
      return message;
    },
    "PATCH /channels/:id/messages/:id": (r) => {
      const channel = world.channel(id(r));
      world.require(channel, bot.id, P.ViewChannel, missingPermissions);
      const message = world.message(channel.id, id(r, 1));
      if (message.author.id !== bot.id) throw new RestError(403, { message: "Cannot edit a message authored by another user", code: 50005 });
      const body = (r.body ?? {}) as MessageBody;
      checkMessage(body);
      editMessage(message, body, r.files);
      world.notify({ type: "message-update", message });
      const guildId = guildIdOf(channel);
      ctx.dispatch(guildId, Event.MessageUpdate, { ...message, ...(guildId ? { guild_id: guildId } : {}) }, messageIntent(guildId));
      return message;
    },
    "DELETE /channels/:id/messages/:id": (r) => {
      const channel = world.channel(id(r));
      const message = world.message(channel.id, id(r, 1));
      world.require(channel, bot.id, P.ViewChannel | (message.author.id === bot.id ? 0n : P.ManageMessages), missingPermissions);
      world.removeMessage(message);
      const guildId = guildIdOf(channel);
      ctx.dispatch(guildId, Event.MessageDelete, { id: message.id, channel_id: channel.id, ...(guildId ? { guild_id: guildId } : {}) }, messageIntent(guildId));
      return new Reply(204);
    },
  };
}
