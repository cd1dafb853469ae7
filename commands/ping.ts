// /ping — is the bot alive, and how far is Discord.
import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { SlashCommand } from "../src/bot/types.ts";

const data = {
  name: "ping",
  description: "Check that the bot is online",
  type: ApplicationCommandType.ChatInput,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const ping: SlashCommand = {
  data,
  async execute(interaction) {
    const shard = interaction.guild?.shardId ?? 0;
    const heartbeat = interaction.client.ws.ping;
    return { content: `Pong — shard ${shard}, gateway heartbeat ${heartbeat >= 0 ? `${heartbeat} ms` : "not measured yet"}.`, ephemeral: true };
  },
};
