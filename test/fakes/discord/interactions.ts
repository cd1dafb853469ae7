import { randomBytes } from "node:crypto";
import {
  ApplicationCommandOptionType as Option, ApplicationCommandType, ApplicationIntegrationType, ChannelType, ComponentType, GatewayDispatchEvents,
  InteractionContextType, InteractionResponseType as Response, PermissionFlagsBits, InteractionType, Locale, MessageFlags, MessageType,
  type APIApplicationCommandInteractionDataOption, type APIApplicationCommandOption, type APIInteractionDataResolved, type APIMessage,
  type APIUser, type GatewayInteractionCreateDispatchData, type RESTPostAPIInteractionCallbackWithResponseResult,
} from "discord-api-types/v10";
import { alreadyAcknowledged, invalidBody, raise, unknown } from "./errors.ts";
import { checkChoices, checkMessage, checkModal } from "./limits.ts";
import { Reply, type RestRequest, type Routes } from "./server.ts";
import { snowflake } from "./snowflakes.ts";
import { editMessage, validateMessage, type Context, type GuildState, type MessageBody } from "./state.ts";
import { mayInvoke } from "./permissions.ts";
import { cursor, Log } from "./waitable.ts";

/** A value, typed from the registered command or from its JS type (string 3, integer 4, boolean 5, number 10), or explicitly. */
export type OptionValue = string | number | boolean | { type: Option; value: string | number | boolean };
export interface Actor { guildId: string; channelId?: string; user?: APIUser; memberPermissions?: bigint }
export interface CommandInit extends Actor {
  name: string; subcommand?: string /* "sub" or "group sub" */; options?: Record<string, OptionValue>; resolved?: APIInteractionDataResolved;
}
/** A slash command in the bot's DM (context BOT_DM). */
export interface DmCommandInit { user: APIUser; name: string; subcommand?: string /* "sub" or "group sub" */; options?: Record<string, OptionValue> }
export interface AutocompleteInit extends CommandInit { options: Record<string, OptionValue>; focused: string }
export interface ButtonInit extends Actor { customId: string; messageId?: string }
export interface DmButtonInit { user: APIUser; messageId: string; customId: string }
export interface SelectInit extends ButtonInit { values: string[] }
export interface ModalInit extends Actor { customId: string; fields: Record<string, string> }
export type ReplyMessage = APIMessage & { ephemeral: boolean };
export interface InteractionResponse { type: Response; data?: unknown }
export interface InteractionHandle {
  id: string; token: string; response: Promise<InteractionResponse>;
  /** The visible reply: the callback's message (4, 7), or after a defer (5, 6) the first edit of @original. */
  reply(): Promise<ReplyMessage>;
  /** PATCH @original bodies (the first edit after a defer included) and follow-up bodies. */
  edits: unknown[]; followups: unknown[]; nextEdit(): Promise<unknown>; nextFollowup(): Promise<unknown>;
}
interface Pending {
  id: string; token: string; type: InteractionType; at: number; channelId: string; user: APIUser; source: APIMessage | undefined;
  acknowledged: boolean; original: APIMessage | undefined; sent: APIMessage[];
  responses: Log<InteractionResponse>; replies: Log<ReplyMessage>; edits: Log<unknown>; followups: Log<unknown>;
}

const unknownMessage = (): never => raise(unknown("Message"));
const asBody = (body: unknown): MessageBody => (body ?? {}) as MessageBody;
const flag = (message: APIMessage | undefined, bit: MessageFlags): boolean => ((message?.flags ?? 0) & bit) !== 0;
const view = (message: APIMessage): ReplyMessage => ({ ...structuredClone(message), ephemeral: flag(message, MessageFlags.Ephemeral) });
const inferType = (value: string | number | boolean): Option => typeof value === "boolean" ? Option.Boolean
  : typeof value === "string" ? Option.String : Number.isInteger(value) ? Option.Integer : Option.Number;

/** What the bot may do in a DM, as app_permissions reports it: ATTACH_FILES, EMBED_LINKS, MENTION_EVERYONE and, in the bot's own DM, USE_EXTERNAL_EMOJIS (Oceanic's docs of the field). */
const DM_APP_PERMISSIONS = PermissionFlagsBits.AttachFiles | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.MentionEveryone | PermissionFlagsBits.UseExternalEmojis;

/** The interaction's options: the leaves typed from the registered command (else from their JS type), nested in the subcommand path. */
function commandOptions(
  init: { subcommand?: string; options?: Record<string, OptionValue> }, registered: { options?: APIApplicationCommandOption[] } | undefined,
  focused?: string, resolve?: (type: Option, value: string) => void,
): APIApplicationCommandInteractionDataOption[] {
  const path = init.subcommand?.split(" ") ?? [];
  let declared = registered?.options;
  for (const name of path) declared = (declared?.find((o) => o.name === name) as { options?: APIApplicationCommandOption[] } | undefined)?.options;
  const leaves = Object.entries(init.options ?? {}).map(([name, input]) => {
    const value = typeof input === "object" ? input.value : input;
    const type = typeof input === "object" ? input.type : declared?.find((o) => o.name === name)?.type ?? inferType(value);
    resolve?.(type, String(value));
    return { name, type, value, ...(name === focused ? { focused: true } : {}) };
  });
  return path.reduceRight<unknown[]>((inner, name, i) =>
    [{ name, type: i < path.length - 1 ? Option.SubcommandGroup : Option.Subcommand, options: inner }], leaves) as APIApplicationCommandInteractionDataOption[];
}

/**
 * Thrown by sendCommand / autocomplete for a registered command Discord would not deliver to that member (it
 * shows greyed out, or not at all): the interaction never reaches the bot. See mayInvoke in permissions.ts.
 */
export class NotInvokable extends Error {
  constructor(readonly command: string, readonly user: APIUser, readonly needed: string | null) {
    super(`Discord does not deliver /${command} from ${user.username}: the member lacks its default_member_permissions (${needed ?? "none"}) or its contexts exclude this place.`);
    this.name = "NotInvokable";
  }
}

/** Builds and dispatches INTERACTION_CREATEs, and serves the callback and webhook routes that answer them. */
export class Interactions {
  readonly #pending = new Map<string, Pending>();

  constructor(private readonly ctx: Context, private readonly member: (guild: GuildState, user?: APIUser) => APIUser) {}

  command(init: CommandInit, focused?: string): InteractionHandle {
    const { world } = this.ctx;
    const guild = world.guild(init.guildId);
    const registered = [...(world.commands.get(guild.id) ?? []), ...(world.commands.get("") ?? [])]
      .find((c) => c.name === init.name && (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput);
    const user = this.member(guild, init.user);
    if (registered && !mayInvoke(registered, { guild: true, permissions: this.#permissions(init, guild, user), owner: user.id === guild.ownerId })) {
      throw new NotInvokable(init.name, user, registered.default_member_permissions ?? null);
    }
    const resolved: APIInteractionDataResolved = structuredClone(init.resolved ?? {});
    const options = commandOptions(init, registered, focused, (type, value) => this.#resolve(guild, user, type, value, resolved));
    const data = {
      id: registered?.id ?? snowflake(), name: init.name, type: ApplicationCommandType.ChatInput, options,
      ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}), ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    };
    return this.#send({ ...init, user }, focused === undefined ? InteractionType.ApplicationCommand : InteractionType.ApplicationCommandAutocomplete, data);
  }

  /**
   * A slash command in the bot's DM: only global commands are offered there, and not one whose `contexts` leave
   * out BOT_DM or whose `dm_permission` is false (mayInvoke). The payload has `user` instead of `member`; a
   * guild-installed app's authorizing owner is "0" there (discord/discord-api-docs#6730).
   */
  dmCommand(init: DmCommandInit): InteractionHandle {
    const { world, applicationId } = this.ctx;
    world.users.set(init.user.id, init.user);
    const registered = (world.commands.get("") ?? []).find((c) => c.name === init.name && (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput);
    if (registered && !mayInvoke(registered, { guild: false })) throw new NotInvokable(init.name, init.user, registered.default_member_permissions ?? null);
    const guildOnly = [...world.commands.entries()].some(([key, list]) => key !== "" && list.some((c) => c.name === init.name));
    if (!registered && guildOnly) throw new NotInvokable(init.name, init.user, null);
    const dm = world.openDm(init.user);
    const data = { id: registered?.id ?? snowflake(), name: init.name, type: ApplicationCommandType.ChatInput, options: commandOptions(init, registered) };
    const { id, token, pending } = this.#register(InteractionType.ApplicationCommand, dm.id, init.user, undefined);
    const payload = {
      id, application_id: applicationId, type: InteractionType.ApplicationCommand, data, token, version: 1, channel_id: dm.id, channel: dm, user: init.user,
      app_permissions: DM_APP_PERMISSIONS.toString(), locale: Locale.EnglishUS, entitlements: [],
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: "0" }, context: InteractionContextType.BotDM,
      attachment_size_limit: 10 * 1024 * 1024,
    } as unknown as GatewayInteractionCreateDispatchData;
    if (!this.ctx.dispatch(null, GatewayDispatchEvents.InteractionCreate, payload)) throw new Error("no gateway session owns shard 0 (DMs)");
    return this.#handle(pending);
  }

  /**
   * A button pressed on the bot's message `messageId` in its DM with `user`. Only a button that message shows
   * can be pressed (clients send the custom_id of a rendered component). The payload is a DM's, as for dmCommand.
   */
  dmComponent(init: DmButtonInit): InteractionHandle {
    const { world, applicationId } = this.ctx;
    const dm = world.openDm(init.user);
    const stored = (world.messages.get(dm.id) ?? []).find((m) => m.id === init.messageId) ?? unknownMessage();
    const shown = (stored.components ?? []).some((row) => "components" in row && (row.components as { custom_id?: string }[]).some((c) => c.custom_id === init.customId));
    if (!shown) throw new Error(`message ${init.messageId} shows no component ${init.customId}`);
    const data = { custom_id: init.customId, component_type: ComponentType.Button };
    const { id, token, pending } = this.#register(InteractionType.MessageComponent, dm.id, init.user, stored);
    const payload = {
      id, application_id: applicationId, type: InteractionType.MessageComponent, data, token, version: 1, channel_id: dm.id, channel: dm, user: init.user,
      message: stored, app_permissions: DM_APP_PERMISSIONS.toString(), locale: Locale.EnglishUS, entitlements: [],
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: "0" }, context: InteractionContextType.BotDM,
      attachment_size_limit: 10 * 1024 * 1024,
    } as unknown as GatewayInteractionCreateDispatchData;
    if (!this.ctx.dispatch(null, GatewayDispatchEvents.InteractionCreate, payload)) throw new Error("no gateway session owns shard 0 (DMs)");
    return this.#handle(pending);
  }

  /** A button, or a string select with `values`; on the stored message `messageId`, else on a minimal bot message. */
  component(init: ButtonInit & { values?: string[] }): InteractionHandle {
    const { world } = this.ctx;
    const guild = world.guild(init.guildId);
    const stored = init.messageId === undefined ? undefined
      : world.guildChannels(guild).flatMap((c) => world.messages.get(c.id) ?? []).find((m) => m.id === init.messageId)
        ?? this.#ephemeral(init.messageId, init.user) ?? unknownMessage();
    const channelId = stored?.channel_id ?? init.channelId;
    const component = init.values
      ? { type: ComponentType.StringSelect as const, custom_id: init.customId, options: init.values.map((v) => ({ label: v, value: v })) }
      : { type: ComponentType.Button as const, style: 1, custom_id: init.customId, label: init.customId };
    const message = stored ?? world.createMessage(channelId ?? guild.id, world.botUser, { components: [{ type: ComponentType.ActionRow, components: [component] }] }, []);
    const data = { custom_id: init.customId, component_type: component.type, ...(init.values ? { values: init.values } : {}) };
    return this.#send({ ...init, ...(channelId ? { channelId } : {}) }, InteractionType.MessageComponent, data, message);
  }

  /** An ephemeral reply or follow-up `messageId` its user still sees (Discord keeps them until the client reloads). */
  #ephemeral(messageId: string, user: APIUser | undefined): APIMessage | undefined {
    return [...this.#pending.values()].filter((p) => user === undefined || p.user.id === user.id).flatMap((p) => [p.original, ...p.sent])
      .find((m): m is APIMessage => m?.id === messageId && flag(m, MessageFlags.Ephemeral));
  }

  modal(init: ModalInit): InteractionHandle {
    const components = Object.entries(init.fields).map(([custom_id, value]) =>
      ({ type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id, value }] }));
    return this.#send(init, InteractionType.ModalSubmit, { custom_id: init.customId, components });
  }

  /** Fills `resolved` for USER, ROLE, MENTIONABLE and CHANNEL options that name something the fake knows. */
  #resolve(guild: GuildState, user: APIUser, type: Option, id: string, resolved: APIInteractionDataResolved): void {
    const { world } = this.ctx;
    const target = world.users.get(id);
    const mentionable = type === Option.Mentionable;
    if ((type === Option.User || mentionable) && target) {
      resolved.users = { ...resolved.users, [id]: target };
      if (guild.members.has(id)) {
        resolved.members = { ...resolved.members, [id]: { ...world.member(guild, id, false), permissions: world.permissions(guild, id).toString() } };
      }
    }
    const role = guild.roles.get(id);
    if ((type === Option.Role || mentionable) && role) resolved.roles = { ...resolved.roles, [id]: role };
    const channel = type === Option.Channel ? world.channels.get(id) : undefined;
    if (channel && channel.type !== ChannelType.DM) {
      const permissions = world.permissions(guild, user.id, channel).toString();
      resolved.channels = { ...resolved.channels, [id]: { id, name: channel.name, type: channel.type, permissions } };
    }
  }

  /** The member's permissions as the interaction reports them (in its channel), and as Discord checks commands against. */
  #permissions(actor: Actor, guild: GuildState, user: APIUser): bigint {
    const channel = actor.channelId === undefined ? undefined : this.ctx.world.guildChannel(actor.channelId);
    return actor.memberPermissions ?? this.ctx.world.permissions(guild, user.id, channel);
  }

  #send(actor: Actor, type: InteractionType, data: unknown, message?: APIMessage): InteractionHandle {
    const { world, applicationId } = this.ctx;
    const guild = world.guild(actor.guildId);
    // Without channelId the interaction names no channel (discord.js copes): its replies then live only in the handle.
    const channel = actor.channelId === undefined ? undefined : world.guildChannel(actor.channelId);
    const user = this.member(guild, actor.user);
    const permissions = this.#permissions(actor, guild, user);
    const { id, token, pending } = this.#register(type, channel?.id ?? guild.id, user, message);
    const payload = {
      id, application_id: applicationId, type, data, token, version: 1, guild_id: guild.id, guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
      ...(channel ? { channel_id: channel.id, channel } : {}), member: { ...world.member(guild, user.id), permissions: permissions.toString() },
      app_permissions: world.permissions(guild, world.botUser.id, channel).toString(), locale: Locale.EnglishUS, guild_locale: Locale.EnglishUS,
      entitlements: [], authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id }, context: InteractionContextType.Guild,
      attachment_size_limit: 10 * 1024 * 1024, ...(message ? { message } : {}),
    } as GatewayInteractionCreateDispatchData;
    if (!this.ctx.dispatch(guild.id, GatewayDispatchEvents.InteractionCreate, payload)) throw new Error(`no gateway session owns the shard of guild ${guild.id}`);
    return this.#handle(pending);
  }

  /** A new interaction's id, token and record, awaiting its callback. */
  #register(type: InteractionType, channelId: string, user: APIUser, source: APIMessage | undefined): { id: string; token: string; pending: Pending } {
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString("base64url")}`;
    const pending: Pending = {
      id, token, type, at: Date.now(), channelId, user, source, acknowledged: false, original: undefined, sent: [],
      responses: new Log(), replies: new Log(), edits: new Log(), followups: new Log(),
    };
    this.#pending.set(id, pending);
    return { id, token, pending };
  }

  #handle(pending: Pending): InteractionHandle {
    return {
      id: pending.id, token: pending.token, response: pending.responses.waitFor(), reply: () => pending.replies.waitFor(), edits: pending.edits.items,
      followups: pending.followups.items, nextEdit: cursor(pending.edits), nextFollowup: cursor(pending.followups),
    };
  }

  /** A message of the interaction's webhook; stored in its channel unless ephemeral (or the interaction named no channel). */
  #message(pending: Pending, body: MessageBody, files: RestRequest["files"]): APIMessage {
    const message = this.ctx.world.createMessage(pending.channelId, this.ctx.world.botUser, body, files, {
      webhook_id: this.ctx.applicationId, application_id: this.ctx.applicationId,
      type: pending.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      interaction_metadata: { id: pending.id, type: pending.type, user: pending.user, authorizing_integration_owners: {} } as APIMessage["interaction_metadata"],
    } as Partial<APIMessage>);
    if (!flag(message, MessageFlags.Ephemeral)) this.ctx.world.store(message);
    else this.ctx.world.notify({ type: "message-create", message });
    return message;
  }

  #callback({ params: [id, token], body, files, query }: RestRequest): unknown {
    const pending = this.#pending.get(id ?? "");
    if (!pending || pending.token !== token) throw unknown("Interaction");
    if (pending.acknowledged) throw alreadyAcknowledged();
    if (Date.now() - pending.at >= this.ctx.interactionTimeoutMs) throw unknown("Interaction"); // Discord's 3 s window
    const { type, data } = (body ?? {}) as { type?: Response; data?: MessageBody };
    if (type === undefined || !Object.values(Response).includes(type)) throw invalidBody("type", "BASE_TYPE_CHOICES", "Value must be a callback type.");
    if (type === Response.ChannelMessageWithSource) validateMessage(asBody(data), files);
    if (type === Response.UpdateMessage) checkMessage(data);
    if (type === Response.ApplicationCommandAutocompleteResult) checkChoices(data);
    if (type === Response.Modal) checkModal(data);
    pending.acknowledged = true;
    if (type === Response.ChannelMessageWithSource || type === Response.DeferredChannelMessageWithSource) {
      const loading = type === Response.DeferredChannelMessageWithSource ? MessageFlags.Loading : 0;
      pending.original = this.#message(pending, { ...asBody(data), flags: (data?.flags ?? 0) | loading }, files);
    } else if (type === Response.UpdateMessage || type === Response.DeferredMessageUpdate) {
      pending.original = pending.source ?? this.#message(pending, {}, []);
      if (type === Response.UpdateMessage) {
        editMessage(pending.original, asBody(data), files);
        this.ctx.world.notify({ type: "message-update", message: pending.original });
      }
    }
    if (pending.original && (type === Response.ChannelMessageWithSource || type === Response.UpdateMessage)) pending.replies.push(view(pending.original));
    pending.responses.push({ type, ...(data === undefined ? {} : { data }) });
    if (query.get("with_response") !== "true") return new Reply(204);
    const original = pending.original;
    const result: RESTPostAPIInteractionCallbackWithResponseResult = {
      interaction: {
        id: pending.id, type: pending.type, ...(original ? { response_message_id: original.id, response_message_loading: flag(original, MessageFlags.Loading),
          response_message_ephemeral: flag(original, MessageFlags.Ephemeral) } : {}),
      },
      resource: { type, ...(original ? { message: original } : {}) },
    };
    return result;
  }

  /** The interaction behind /webhooks/:app/:token (once acknowledged), and the message named by the route. */
  #webhook(request: RestRequest): { pending: Pending; message: APIMessage | undefined } {
    const [appId, token, messageId] = request.params;
    const pending = [...this.#pending.values()].find((p) => p.token === token);
    if (appId !== this.ctx.applicationId || !pending?.acknowledged) throw unknown("Webhook");
    const message = messageId === undefined ? pending.original
      : pending.sent.find((m) => m.id === messageId) ?? (pending.original?.id === messageId ? pending.original : undefined);
    return { pending, message };
  }

  #edit(request: RestRequest): APIMessage {
    const { pending, message = unknownMessage() } = this.#webhook(request);
    checkMessage(request.body);
    const body = asBody(request.body);
    if (message === pending.original) pending.edits.push(request.body);
    const wasLoading = flag(message, MessageFlags.Loading);
    const flags = ((body.flags ?? message.flags ?? 0) & ~MessageFlags.Loading) | ((message.flags ?? 0) & MessageFlags.Ephemeral);
    editMessage(message, { ...body, flags }, request.files);
    if (wasLoading) message.edited_timestamp = null; // the first edit of a deferred reply is its content, not an edit
    this.ctx.world.notify({ type: "message-update", message });
    if (message === pending.original && pending.replies.items.length === 0) pending.replies.push(view(message));
    return message;
  }

  routes(): Routes {
    const hook = "/webhooks/:id/:token";
    const get = (r: RestRequest): APIMessage => this.#webhook(r).message ?? unknownMessage();
    const remove = (r: RestRequest): Reply => {
      const message = get(r);
      if (flag(message, MessageFlags.Ephemeral)) this.ctx.world.notify({ type: "message-delete", channelId: message.channel_id, messageId: message.id });
      else this.ctx.world.removeMessage(message);
      return new Reply(204);
    };
    const followup = (r: RestRequest): unknown => {
      const { pending } = this.#webhook(r);
      validateMessage(asBody(r.body), r.files);
      pending.followups.push(r.body);
      const message = this.#message(pending, asBody(r.body), r.files);
      pending.sent.push(message);
      return r.query.get("wait") === "false" ? new Reply(204) : message;
    };
    return {
      "POST /interactions/:id/:token/callback": (r) => this.#callback(r), [`POST ${hook}`]: followup,
      [`GET ${hook}/messages/@original`]: get, [`GET ${hook}/messages/:id`]: get,
      [`PATCH ${hook}/messages/@original`]: (r) => this.#edit(r), [`PATCH ${hook}/messages/:id`]: (r) => this.#edit(r),
      [`DELETE ${hook}/messages/@original`]: remove, [`DELETE ${hook}/messages/:id`]: remove,
    };
  }
}
