// The demo user's Discord client over the fake Discord: what their client would show of the demo guild (its
// channels, their messages, the user's own ephemeral replies and DMs with the bot), told live, and what their
// client can send: slash commands, autocomplete, component presses, modal submits and plain messages. Each is
// checked as Discord's client and API check it, then goes through the fake as a real interaction.
import {
  ButtonStyle, ChannelType, ComponentType, InteractionResponseType, PermissionFlagsBits,
  type APIMessage, type APIUser,
} from "discord-api-types/v10";
import {
  DEFAULT_MEMBER_PERMISSIONS, NotInvokable,
  type ClientEvent, type FakeChannel, type FakeDiscord, type InteractionHandle, type InteractionResponse,
} from "../../test/fakes/discord/index.ts";
import { checkAutocomplete, checkCommand, type CommandBody, type RawValue } from "./command-input.ts";
import { AttachmentIndex, toPageMessage, type NameSource, type PageMessage } from "./page-message.ts";
import { badInput, conflict, notFound, PlaygroundError } from "./playground-errors.ts";

export interface PageChannel {
  id: string;
  name: string;
  kind: "category" | "text" | "dm";
  parentId: string | null;
  position: number;
  topic: string | null;
}

export interface PageModalField {
  customId: string;
  label: string;
  style: "short" | "paragraph";
  required: boolean;
  minLength: number | null;
  maxLength: number | null;
  placeholder: string | null;
  value: string | null;
}
export interface PageModal { customId: string; title: string; channelId: string; fields: PageModalField[] }

/** How the bot answered an interaction: in time or not ("The application did not respond"), and the form it opened. */
export interface InteractionOutcome { interactionId: string; answered: boolean; modal?: PageModal }

export type DiscordEvent =
  | { type: "message"; message: PageMessage }
  | { type: "message-delete"; channelId: string; messageId: string }
  | { type: "channel"; channel: PageChannel }
  | { type: "channel-delete"; channelId: string }
  | { type: "commands"; commands: CommandBody[] };

export interface DiscordSnapshot {
  guild: { id: string; name: string };
  user: { id: string; name: string };
  bot: { id: string; name: string };
  channels: PageChannel[];
  /** The newest messages of each channel (ephemeral replies included), oldest first. */
  messages: PageMessage[];
  commands: CommandBody[];
}

/** How long an interaction may take to get its first answer before the page says the application did not respond. */
const RESPONSE_WAIT_MS = 15_000;
const PER_CHANNEL = 100;
const KEPT_EPHEMERAL = 100;
const KEPT_LABELS = 500;

const nameOf = (user: APIUser): string => user.global_name ?? user.username;
const byId = (a: { id: string }, b: { id: string }): number => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);

/** The fields of a guild channel the page shows (FakeChannel, or a ClientEvent's channel). */
interface ChannelFields { id: string; name: string; type: ChannelType; parent_id?: string | null; position?: number; topic?: string | null }

function pageChannel(channel: FakeChannel | ChannelFields): PageChannel {
  const c = channel as ChannelFields;
  return {
    id: c.id, name: c.name, kind: c.type === ChannelType.GuildCategory ? "category" : "text",
    parentId: c.parent_id ?? null, position: c.position ?? 0, topic: c.topic ?? null,
  };
}

/** The text inputs of a modal's components (action rows, or labels around one input each). */
function modalFields(components: unknown): PageModalField[] {
  const fields: PageModalField[] = [];
  const visit = (node: unknown, label: string | undefined): void => {
    if (typeof node !== "object" || node === null) return;
    const c = node as Record<string, unknown>;
    if (c.type === ComponentType.ActionRow && Array.isArray(c.components)) for (const child of c.components) visit(child, undefined);
    if (c.type === ComponentType.Label) visit(c.component, typeof c.label === "string" ? c.label : undefined);
    if (c.type !== ComponentType.TextInput || typeof c.custom_id !== "string") return;
    const num = (v: unknown) => (typeof v === "number" ? v : null);
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    fields.push({
      customId: c.custom_id, label: label ?? str(c.label) ?? c.custom_id, style: c.style === 2 ? "paragraph" : "short",
      required: c.required !== false, minLength: num(c.min_length), maxLength: num(c.max_length), placeholder: str(c.placeholder), value: str(c.value),
    });
  };
  if (Array.isArray(components)) for (const node of components) visit(node, undefined);
  return fields;
}

/** A Map that forgets its oldest entries past `limit`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value!);
}

export class DiscordView {
  readonly attachments = new AttachmentIndex();
  readonly #listeners = new Set<(event: DiscordEvent) => void>();
  readonly #channelIds = new Set<string>();
  /** The user's ephemeral messages (Discord keeps them on the client only), as last edited. */
  readonly #ephemeral = new Map<string, APIMessage>();
  /** "used /setup run", "pressed On" by interaction id: what the page did, for the line over a reply. */
  readonly #labels = new Map<string, string>();
  /** Modals the bot opened and the user has not submitted yet, by custom id. */
  readonly #modals = new Map<string, PageModal>();
  readonly #names: NameSource;
  #dmChannelId: string | undefined;
  readonly #unsubscribe: () => void;

  /**
   * Makes `user` a member of the guild with Manage Server (as the admin trying the bot is) unless they are one
   * already (then their roles stay as given), so `/setup run` works, and starts following what their client sees.
   */
  constructor(private readonly discord: FakeDiscord, private readonly guildId: string, private readonly user: APIUser) {
    if (!discord.members(guildId).some((m) => m.id === user.id)) discord.addMember(guildId, user, DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild);
    for (const channel of discord.channels(guildId)) this.#channelIds.add(channel.id);
    this.#dmChannelId = discord.dmMessages(user.id)[0]?.channel_id;
    this.#names = {
      user: (id) => { const u = discord.members(guildId).find((m) => m.id === id); return u && nameOf(u); },
      role: (id) => discord.roles(guildId).find((r) => r.id === id)?.name,
      channel: (id) => discord.channels(guildId).find((c) => c.id === id)?.name,
    };
    this.#unsubscribe = discord.onClientEvent((event) => this.#onClientEvent(event));
  }

  close(): void {
    this.#unsubscribe();
    this.#listeners.clear();
  }

  /** Calls `listener` with every change the page should draw; returns the unsubscribe. */
  subscribe(listener: (event: DiscordEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The guild's and DM's application commands, as the bot registered them. */
  commands(): CommandBody[] {
    return [...this.discord.commands(), ...this.discord.commands(this.guildId)];
  }

  snapshot(): DiscordSnapshot {
    const channels = this.discord.channels(this.guildId).map(pageChannel);
    const stored = channels.filter((c) => c.kind === "text").flatMap((c) => this.discord.messages(c.id).slice(-PER_CHANNEL));
    const dm = this.discord.dmMessages(this.user.id).slice(-PER_CHANNEL);
    const dmChannel = dm[0]?.channel_id ?? this.#dmChannelId;
    if (dmChannel) {
      this.#dmChannelId = dmChannel;
      channels.push(this.#dmPageChannel(dmChannel));
    }
    const messages = [...stored, ...dm, ...this.#ephemeral.values()].sort(byId).map((m) => this.#page(m));
    const guild = this.discord.guild(this.guildId);
    return {
      guild: { id: guild.id, name: guild.name }, user: { id: this.user.id, name: nameOf(this.user) },
      bot: { id: this.discord.botUser.id, name: nameOf(this.discord.botUser) }, channels, messages, commands: this.commands(),
    };
  }

  /** `/name subcommand options` in `channelId`, as the user; resolves once the bot answered (or did not in time). */
  async command(input: { channelId: string; name: string; subcommand?: string | undefined; options?: Record<string, RawValue> | undefined }): Promise<InteractionOutcome> {
    const checked = checkCommand(this.commands(), input);
    const where = this.#place(input.channelId);
    const init = { name: checked.name, ...(checked.subcommand ? { subcommand: checked.subcommand } : {}), options: checked.options, user: this.user };
    const handle = await this.#refusedBy(() => where === "dm"
      ? this.discord.sendDmCommand(init)
      : this.discord.sendCommand({ ...init, guildId: this.guildId, channelId: input.channelId }));
    remember(this.#labels, handle.id, `used /${[checked.name, checked.subcommand].filter(Boolean).join(" ")}`, KEPT_LABELS);
    return this.#outcome(handle, input.channelId);
  }

  /** The bot's suggestions for the focused option; [] when it does not answer in time. */
  async autocomplete(input: { channelId: string; name: string; subcommand?: string | undefined; options: Record<string, RawValue>; focused: string }): Promise<{ name: string; value: string | number }[]> {
    const checked = checkAutocomplete(this.commands(), input);
    if (this.#place(input.channelId) === "dm") throw conflict("Suggestions work in the server's channels only in the playground.");
    const choices = this.#refusedBy(() => this.discord.autocomplete({
      guildId: this.guildId, channelId: input.channelId, user: this.user, name: checked.name,
      ...(checked.subcommand ? { subcommand: checked.subcommand } : {}), options: checked.options, focused: input.focused,
    }));
    return (await this.#within(choices)) ?? [];
  }

  /**
   * Presses the button `customId` (or picks `values` in the select `customId`) on message `messageId`: only a
   * component the message shows, enabled, and not a link (a link opens in the browser instead).
   */
  async component(input: { messageId: string; customId: string; values?: string[] | undefined }): Promise<InteractionOutcome> {
    const message = this.#find(input.messageId) ?? (() => { throw notFound("That message is gone."); })();
    const shown = (message.components ?? []).flatMap((row) => ("components" in row ? (row.components as unknown[]) : []))
      .find((c) => (c as { custom_id?: unknown }).custom_id === input.customId) as Record<string, unknown> | undefined;
    if (!shown) throw notFound("That message has no such button or menu any more.");
    if (shown.disabled === true) throw conflict("That button is disabled.");
    const isSelect = shown.type === ComponentType.StringSelect;
    if (!isSelect && shown.type !== ComponentType.Button) throw badInput("Only buttons and menus of choices can be used here.");
    if (!isSelect && (shown.style === ButtonStyle.Link || shown.style === ButtonStyle.Premium)) throw badInput("A link button opens its page; it sends nothing to the bot.");
    if (isSelect !== (input.values !== undefined)) throw badInput(isSelect ? "Choose values in a menu." : "A button takes no values.");
    if (isSelect) this.#checkValues(shown, input.values ?? []);
    const inDm = message.channel_id === this.#dmChannelId;
    if (inDm && isSelect) throw conflict("Menus in DMs are not supported in the playground.");
    const handle = await this.#refusedBy(() => inDm
      ? this.discord.clickDmButton({ user: this.user, messageId: message.id, customId: input.customId })
      : input.values
        ? this.discord.selectMenu({ guildId: this.guildId, channelId: message.channel_id, user: this.user, messageId: message.id, customId: input.customId, values: input.values })
        : this.discord.clickButton({ guildId: this.guildId, channelId: message.channel_id, user: this.user, messageId: message.id, customId: input.customId }));
    const label = typeof shown.label === "string" ? shown.label : input.customId;
    remember(this.#labels, handle.id, isSelect ? `chose ${input.values?.join(", ") ?? ""} in a menu` : `pressed ${label}`, KEPT_LABELS);
    return this.#outcome(handle, message.channel_id);
  }

  /** Submits the open modal `customId` with `fields` (every field of the form is sent, empty ones as ""). */
  async modal(input: { customId: string; fields: Record<string, string> }): Promise<InteractionOutcome> {
    const modal = this.#modals.get(input.customId);
    if (!modal) throw conflict("That form is not open any more: run the command again.");
    for (const name of Object.keys(input.fields)) if (!modal.fields.some((f) => f.customId === name)) throw badInput(`The form has no field ${name}.`);
    const fields: Record<string, string> = {};
    for (const field of modal.fields) {
      const value = input.fields[field.customId] ?? "";
      if (field.required && value.trim() === "") throw badInput(`${field.label}: this field is required.`);
      if (value !== "" && field.minLength !== null && value.length < field.minLength) throw badInput(`${field.label}: at least ${field.minLength} characters.`);
      if (field.maxLength !== null && value.length > field.maxLength) throw badInput(`${field.label}: at most ${field.maxLength} characters.`);
      fields[field.customId] = value;
    }
    if (modal.channelId === this.#dmChannelId) throw conflict("Forms opened in DMs are not supported in the playground.");
    this.#modals.delete(input.customId);
    const handle = await this.#refusedBy(() => this.discord.submitModal({ guildId: this.guildId, channelId: modal.channelId, user: this.user, customId: input.customId, fields }));
    remember(this.#labels, handle.id, `submitted ${modal.title || "a form"}`, KEPT_LABELS);
    return this.#outcome(handle, modal.channelId);
  }

  /** A plain message from the user in a text channel (the team chat bridge reads #team-chat). */
  say(input: { channelId: string; content: string }): PageMessage {
    if (this.#place(input.channelId) !== "text") throw conflict("Write in one of the server's text channels.");
    return this.#page(this.discord.postUserMessage({ channelId: input.channelId, user: this.user, content: input.content }));
  }

  /** "text", "dm"; 404 for a channel of no concern to the page, 400 for a category. */
  #place(channelId: string): "text" | "dm" {
    if (channelId === this.#dmChannelId) return "dm";
    const channel = this.discord.channels(this.guildId).find((c) => c.id === channelId);
    if (!channel) throw notFound("No such channel in this server.");
    if (channel.type === ChannelType.GuildCategory) throw badInput("A category holds channels; pick a text channel.");
    return "text";
  }

  #checkValues(select: Record<string, unknown>, values: string[]): void {
    const options = Array.isArray(select.options) ? (select.options as { value?: unknown }[]).map((o) => o.value) : [];
    const min = typeof select.min_values === "number" ? select.min_values : 1;
    const max = typeof select.max_values === "number" ? select.max_values : 1;
    if (values.length < min || values.length > max) throw badInput(min === max ? `Choose ${min}.` : `Choose between ${min} and ${max}.`);
    if (new Set(values).size !== values.length || values.some((v) => !options.includes(v))) throw badInput("Choose among the menu's options.");
  }

  #find(messageId: string): APIMessage | undefined {
    const ephemeral = this.#ephemeral.get(messageId);
    if (ephemeral) return ephemeral;
    const channels = [...this.#channelIds, ...(this.#dmChannelId ? [this.#dmChannelId] : [])];
    for (const channelId of channels) {
      const list = channelId === this.#dmChannelId ? this.discord.dmMessages(this.user.id) : this.discord.messages(channelId);
      const found = list.find((m) => m.id === messageId);
      if (found) return found;
    }
    return undefined;
  }

  /** Runs a send, turning what Discord would refuse into a 403 (NotInvokable) or 404 (an unknown message). */
  async #refusedBy<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof NotInvokable) throw new PlaygroundError(403, `Discord does not let you use /${error.command} here.`);
      if (error instanceof PlaygroundError) throw error;
      const status = (error as { status?: unknown }).status;
      if (status === 404) throw notFound((error as Error).message);
      throw error;
    }
  }

  /** `promise`'s value, or undefined after RESPONSE_WAIT_MS. */
  async #within<T>(promise: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), RESPONSE_WAIT_MS); });
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #outcome(handle: InteractionHandle, channelId: string): Promise<InteractionOutcome> {
    const response: InteractionResponse | undefined = await this.#within(handle.response);
    if (!response) return { interactionId: handle.id, answered: false };
    if (response.type !== InteractionResponseType.Modal) return { interactionId: handle.id, answered: true };
    const data = (response.data ?? {}) as { custom_id?: unknown; title?: unknown; components?: unknown };
    const modal: PageModal = {
      customId: String(data.custom_id ?? ""), title: typeof data.title === "string" ? data.title : "", channelId, fields: modalFields(data.components),
    };
    remember(this.#modals, modal.customId, modal, 20);
    return { interactionId: handle.id, answered: true, modal };
  }

  #dmPageChannel(id: string): PageChannel {
    return { id, name: nameOf(this.discord.botUser), kind: "dm", parentId: null, position: 0, topic: "Direct messages with the bot" };
  }

  #page(message: APIMessage): PageMessage {
    return toPageMessage(message, this.#names, this.attachments, (id) => this.#labels.get(id));
  }

  #emit(event: DiscordEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Whether the user's client shows `message`: in the guild's channels (ephemeral: only theirs), or their DM with the bot. */
  #concerns(message: APIMessage): boolean {
    const ephemeral = ((message.flags ?? 0) & 64) !== 0;
    if (ephemeral) return message.interaction_metadata?.user.id === this.user.id;
    if (this.#channelIds.has(message.channel_id) || message.channel_id === this.#dmChannelId) return true;
    if (this.#dmChannelId === undefined && this.discord.dmMessages(this.user.id).some((m) => m.id === message.id)) {
      this.#dmChannelId = message.channel_id;
      this.#emit({ type: "channel", channel: this.#dmPageChannel(message.channel_id) });
      return true;
    }
    return false;
  }

  #onClientEvent(event: ClientEvent): void {
    switch (event.type) {
      case "message-create":
      case "message-update": {
        if (!this.#concerns(event.message)) return;
        if ((event.message.flags ?? 0) & 64) remember(this.#ephemeral, event.message.id, structuredClone(event.message), KEPT_EPHEMERAL);
        return this.#emit({ type: "message", message: this.#page(event.message) });
      }
      case "message-delete":
        this.#ephemeral.delete(event.messageId);
        if (this.#channelIds.has(event.channelId) || event.channelId === this.#dmChannelId) this.#emit({ type: "message-delete", channelId: event.channelId, messageId: event.messageId });
        return;
      case "channel-create":
      case "channel-update":
        if (event.channel.guild_id !== this.guildId) return;
        this.#channelIds.add(event.channel.id);
        return this.#emit({ type: "channel", channel: pageChannel(event.channel) });
      case "channel-delete":
        if (!this.#channelIds.delete(event.channel.id)) return;
        return this.#emit({ type: "channel-delete", channelId: event.channel.id });
      case "commands":
        return this.#emit({ type: "commands", commands: this.commands() });
    }
  }
}
