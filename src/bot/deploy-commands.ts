// `npm run deploy-commands [-- --guild <id>]`: registers the slash commands globally, or in one guild
// (instant, for testing). Registration is explicit, never at every boot.
import { parseArgs } from "node:util";
import { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { commands } from "../../commands/index.ts";
import { loadConfig } from "../config.ts";
import { discordRestProblem } from "../environment-errors.ts";
import { exitWithProblems, runMain } from "../fatal.ts";

await runMain(async () => {
  let values: { guild?: string | undefined };
  try {
    ({ values } = parseArgs({ options: { guild: { type: "string" } } }));
  } catch {
    // ERR_PARSE_ARGS_*: a missing --guild value or an unknown option.
    process.stderr.write("usage: npm run deploy-commands [-- --guild <server id>]\n");
    process.exit(2);
  }
  const config = await loadConfig();
  const problems = [
    ...(config.DISCORD_TOKEN ? [] : ["DISCORD_TOKEN is not set (see .env.example)."]),
    ...(config.DISCORD_APPLICATION_ID ? [] : ["DISCORD_APPLICATION_ID is not set: copy it from your application's General Information page."]),
    ...(values.guild === undefined || /^\d{17,20}$/.test(values.guild) ? [] : ["--guild must be a server id (right-click the server → Copy Server ID)."]),
  ];
  if (problems.length || !config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) exitWithProblems(problems);

  const rest = new REST({ api: config.DISCORD_REST_URL }).setToken(config.DISCORD_TOKEN);
  const route = values.guild
    ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, values.guild)
    : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  const registered = (await rest.put(route, { body: commands.map((c) => c.data) }).catch((error: unknown) => {
    throw discordRestProblem(config.DISCORD_REST_URL, error) ?? error;
  })) as unknown[];
  process.stdout.write(
    `Registered ${registered.length} commands ${values.guild ? `in guild ${values.guild}` : "globally (they can take up to an hour to appear everywhere)"}.\n`,
  );
});
