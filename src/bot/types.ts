// The contracts between the router and the handlers. Handlers return what to show; the router sends it
// (reply, edit after a defer, update, modal), so handlers stay small and easy to test.
import type {
  APIEmbed,
  APIModalInteractionResponseCallbackData,
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  ApplicationCommandOptionChoiceData,
  AttachmentBuilder,
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from "discord.js";
import type { Config } from "../config.ts";
import type { PrismaClient } from "../db/client.ts";
import type { SecretBox } from "../db/crypto.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { MapService } from "../map/map-service.ts";
import type { IntelPoller } from "../intel/poll/intel-poller.ts";
import type { LiveMaps } from "../map/live-map.ts";
import type { ServerCards } from "../pairing/server-cards.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { BattleMetrics } from "../intel/battlemetrics/index.ts";
import type { LookupCharge } from "../intel/types.ts";
import type { PushListener } from "../rustplus/push-listener.ts";
import type { ShopMarkets } from "../shop/market-service.ts";

export interface BotContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly prisma: PrismaClient;
  /** Encrypts and decrypts stored secrets (credentials, player tokens). */
  readonly secrets: SecretBox;
  readonly notifier: Notifier;
  /** Push listeners, one per stored credential. */
  readonly pushes: PushListener;
  /** Live Rust+ connections, one per live paired server. */
  readonly rust: ConnectionManager;
  /** Paired servers' cards in their owners' status channels. */
  readonly cards: ServerCards;
  /** Map images of paired servers (/map). */
  readonly maps: MapService;
  /** /map live: a server's map kept up to date in #events. */
  readonly liveMaps: LiveMaps;
  /** The shared player-intel poll (A2S): /server query-port sets and probes a server's query port through it. */
  readonly intel: IntelPoller;
  /** Shop tracking's market: each server's vending machines as last reported (listing), per-poll updates (onUpdate). */
  readonly shops: ShopMarkets;
  /** Every slash command the bot has (for /help). */
  readonly commands: readonly SlashCommand[];
  /** BattleMetrics (optional, BATTLEMETRICS_TOKEN): /player's look-ups; says "not set up" or "switched off" itself. */
  readonly battlemetrics: BattleMetrics;
  /** Charges a BattleMetrics look-up to a user (the tier's daily quota, then a credit). */
  readonly chargeLookup: LookupCharge;
}

export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files?: AttachmentBuilder[];
  /** Only the user sees it. */
  ephemeral?: boolean;
}

export interface ShowModal {
  modal: APIModalInteractionResponseCallbackData;
}

/** Replace the message the component is on. */
export interface UpdateMessage {
  update: Omit<Reply, "ephemeral">;
}

export type CommandResult = Reply | ShowModal;
export type ComponentResult = Reply | ShowModal | UpdateMessage;

export interface SlashCommand {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Whether a deferred answer (work over ~2 s) is private. Default true. */
  readonly ephemeral?: boolean;
  /**
   * Permissions a subcommand requires, checked by the command itself: Discord's default_member_permissions
   * covers a whole command, and some commands mix admin and member subcommands (/setup). /help reads it.
   */
  readonly subcommandPermissions?: Readonly<Record<string, bigint>>;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<CommandResult>;
  autocomplete?(
    interaction: AutocompleteInteraction,
    focused: { name: string; value: string },
    ctx: BotContext,
  ): Promise<ApplicationCommandOptionChoiceData[]>;
}

export type ComponentInteraction = ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

export interface ComponentHandler {
  readonly prefix: string;
  execute(interaction: ComponentInteraction, args: string[], ctx: BotContext): Promise<ComponentResult>;
}
