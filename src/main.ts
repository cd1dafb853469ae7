// `npm start`: the whole bot in one process on the configured database.
import { createBot } from "./bot/app.ts";
import { loginFailure, loginToDiscord } from "./bot/login.ts";
import { createStripe } from "./billing/stripe-client.ts";
import { loadConfig } from "./config.ts";
import { checkEgressAddresses } from "./fleet/egress-check.ts";
import { egressAddresses } from "./fleet/types.ts";
import { openDatabase } from "./db/client.ts";
import { loadSecretBox } from "./db/keys.ts";
import { databaseOptions } from "./db/options.ts";
import { exitWithProblems, runMain } from "./fatal.ts";
import { Lifecycle } from "./lifecycle.ts";
import { createLogger } from "./logger.ts";
import { discordGatewayCheck } from "./metrics/readiness.ts";
import { seedGameData } from "./tools/seed-game-data.ts";
import { startWebServer } from "./web/server.ts";

const MISSING_TOKEN = [
  "DISCORD_TOKEN is not set, so the bot cannot log in to Discord.",
  "  1. Open https://discord.com/developers/applications, create an application, and open its Bot page.",
  "  2. Press Reset Token and copy the token.",
  "  3. Put it in a file named .env next to package.json:  DISCORD_TOKEN=<the token>",
  "     (copy .env.example to .env for every other setting), then run npm start again.",
];

await runMain(async () => {
  const config = await loadConfig();
  const token = config.DISCORD_TOKEN;
  if (!token) exitWithProblems(MISSING_TOKEN);
  await checkEgressAddresses(egressAddresses(config.RUSTPLUS_EGRESS_ADDRESSES));

  const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === "development" && process.stdout.isTTY });
  const lifecycle = new Lifecycle(logger);
  lifecycle.installProcessHandlers();

  const secrets = await loadSecretBox(config, logger);
  const db = await openDatabase(databaseOptions(config), logger);
  lifecycle.add("database", () => db.close());
  logger.info({ database: db.kind }, "database ready");
  await seedGameData(db.prisma, logger);

  const { client, notifier, pushes, fleet } = createBot(config, db, secrets, logger, lifecycle);
  if (config.WEB_ENABLED) {
    const web = await startWebServer({ config, prisma: db.prisma, logger, stripe: createStripe(config), notifier, secrets, credentialsSaved: (userId) => pushes.start(userId), readiness: [discordGatewayCheck(client), { name: "leases", check: () => fleet.healthy() }] })
      .catch(async (error: unknown) => {
        // A busy WEB_PORT is reported by runMain in one line; the database is closed cleanly first.
        await lifecycle.close("web sidecar failed to start");
        throw error;
      });
    lifecycle.add("web", () => web.close());
    logger.info({ host: config.WEB_HOST, port: web.port }, "web sidecar listening");
  }
  logger.info({ rest: config.DISCORD_REST_URL }, "logging in to Discord");
  try {
    await loginToDiscord(client, token, config, logger);
  } catch (error) {
    await lifecycle.close("login failed");
    exitWithProblems([loginFailure(config.DISCORD_REST_URL, error)]);
  }
});
