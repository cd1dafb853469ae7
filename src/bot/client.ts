// The discord.js client. The REST base URL is configurable so a REST proxy (or the test fake) sits in front.
import { Client, GatewayIntentBits } from "discord.js";
import type { Config } from "../config.ts";

export function createDiscordClient(config: Pick<Config, "DISCORD_REST_URL">): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.DISCORD_REST_URL },
  });
}
