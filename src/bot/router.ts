// Every interaction goes through here: slash commands by name, autocomplete by command and focused option,
// components and modals by custom id prefix. Nothing is left unanswered: slow handlers are deferred, user
// mistakes are answered privately, and unexpected failures are logged with a reference the user is shown.
import { randomBytes } from "node:crypto";
import type { AutocompleteInteraction, ChatInputCommandInteraction, Interaction } from "discord.js";
import { UserError } from "../errors.ts";
import { countInteraction, type InteractionOutcome } from "../metrics/interactions.ts";
import { parseCustomId } from "./custom-ids.ts";
import { fitChoices } from "./fit-payload.ts";
import { sendResult, type DeferState, type RepliableInteraction } from "./respond.ts";
import type { BotContext, ComponentHandler, ComponentResult, SlashCommand } from "./types.ts";

/** Discord allows 3 s for the first answer; defer well before. */
export const AUTO_DEFER_MS = 2_000;

export interface Router {
  handle(interaction: Interaction): Promise<void>;
}

/** A handler that deferred by itself (deferNow) is answered by editing that reply. */
function ownDefer(interaction: RepliableInteraction, deferred: DeferState): DeferState {
  if (deferred !== "none" || !interaction.deferred || interaction.isMessageComponent() || interaction.isModalSubmit()) return deferred;
  return interaction.ephemeral ? "reply-ephemeral" : "reply";
}

/**
 * For a slow command, once its checks have passed: the "thinking…" reply now rather than after AUTO_DEFER_MS, so the
 * user sees the work has started (and a refusal before it stays private). Does nothing if the reply is already
 * deferred or sent.
 */
export async function deferNow(interaction: ChatInputCommandInteraction): Promise<void> {
  if (interaction.deferred || interaction.replied) return;
  await interaction.deferReply();
}

export function createRouter(
  ctx: BotContext,
  commands: readonly SlashCommand[],
  components: readonly ComponentHandler[],
  deferAfterMs = AUTO_DEFER_MS,
): Router {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const byPrefix = new Map(components.map((c) => [c.prefix, c]));
  if (byPrefix.size !== components.length) throw new Error("two component handlers share a prefix");

  async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = byName.get(interaction.commandName);
    const focused = interaction.options.getFocused(true);
    try {
      const choices = command?.autocomplete ? await command.autocomplete(interaction, { name: focused.name, value: String(focused.value) }, ctx) : [];
      await interaction.respond(fitChoices(choices));
      countInteraction("autocomplete", command ? interaction.commandName : "unknown", "ok");
    } catch (err) {
      countInteraction("autocomplete", command ? interaction.commandName : "unknown", "failed");
      ctx.logger.error({ err, discordUserId: interaction.user.id, guildId: interaction.guildId, command: interaction.commandName, option: focused.name }, "autocomplete failed");
      await interaction.respond([]).catch(() => {});
    }
  }

  async function run(
    interaction: RepliableInteraction,
    label: Record<string, string | null>,
    /** The metric's labels: a registered command or component prefix, "unknown" otherwise. */
    metric: { kind: "command" | "component"; name: string },
    work: () => Promise<ComponentResult>,
    deferEphemeral: boolean,
  ): Promise<void> {
    let deferred: DeferState = "none";
    let settled = false;
    let deferring: Promise<unknown> = Promise.resolve();
    const timer = setTimeout(() => {
      if (settled || interaction.replied || interaction.deferred) return;
      const defer =
        interaction.isButton() || interaction.isStringSelectMenu()
          ? interaction.deferUpdate().then(() => (deferred = "update"))
          : interaction
              .deferReply(deferEphemeral ? { flags: 64 } : {})
              .then(() => (deferred = deferEphemeral ? "reply-ephemeral" : "reply"));
      deferring = defer.catch((err: unknown) => ctx.logger.warn({ err, ...label }, "could not defer"));
    }, deferAfterMs);
    try {
      const result = await work();
      settled = true;
      clearTimeout(timer);
      await deferring;
      await sendResult(interaction, result, ownDefer(interaction, deferred));
      ctx.logger.debug({ ...label }, "interaction answered");
      countInteraction(metric.kind, metric.name, "ok");
    } catch (error) {
      settled = true;
      clearTimeout(timer);
      await deferring;
      countInteraction(metric.kind, metric.name, await answerError(interaction, error, ownDefer(interaction, deferred), label));
    }
  }

  async function answerError(
    interaction: RepliableInteraction,
    error: unknown,
    deferred: DeferState,
    label: Record<string, string | null>,
  ): Promise<InteractionOutcome> {
    let text: string;
    const outcome = error instanceof UserError ? "user_error" : "failed";
    if (error instanceof UserError) {
      text = error.message;
      ctx.logger.info({ ...label, reason: error.message }, "user error");
    } else {
      const ref = randomBytes(4).toString("hex");
      text = `Something went wrong on our side. If it keeps happening, report reference \`${ref}\`.`;
      ctx.logger.error({ err: error, ref, ...label }, "interaction failed");
    }
    try {
      await sendResult(interaction, { content: text, ephemeral: true }, interaction.replied ? "update" : deferred);
    } catch (err) {
      ctx.logger.error({ err, ...label }, "could not answer an interaction with its error");
    }
    return outcome;
  }

  return {
    async handle(interaction) {
      // Log fields shared with the rest of the bot: guildId (null in DMs) and the Discord user's id.
      const base = { discordUserId: interaction.user.id, guildId: interaction.guildId };
      if (interaction.isAutocomplete()) return autocomplete(interaction);
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        const label = { ...base, command: interaction.commandName };
        return run(
          interaction,
          label,
          { kind: "command", name: command ? interaction.commandName : "unknown" },
          async () => {
            if (!command) throw new UserError("This command is not available any more.");
            return command.execute(interaction, ctx);
          },
          command?.ephemeral ?? true,
        );
      }
      if (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) {
        const { prefix, args } = parseCustomId(interaction.customId);
        const handler = byPrefix.get(prefix);
        const label = { ...base, component: prefix };
        return run(
          interaction,
          label,
          { kind: "component", name: handler ? prefix : "unknown" },
          async () => {
            if (!handler) throw new UserError("This button is from an older version of the bot and no longer works.");
            return handler.execute(interaction, args, ctx);
          },
          true,
        );
      }
    },
  };
}
