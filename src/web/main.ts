// `npm run start:web`: the sidecar on its own (a fleet runs several behind a load balancer). It posts to
// Discord through REST only, when a token is configured.
import { REST } from "@discordjs/rest";
import { createStripe } from "../billing/stripe-client.ts";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { loadSecretBox } from "../db/keys.ts";
import { databaseOptions } from "../db/options.ts";
import { runMain } from "../fatal.ts";
import { Lifecycle } from "../lifecycle.ts";
import { createLogger } from "../logger.ts";
import { Notifier } from "../notify/notifier.ts";
import { startWebServer } from "./server.ts";

await runMain(async () => {
  const config = await loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === "development" && process.stdout.isTTY });
  const lifecycle = new Lifecycle(logger);
  lifecycle.installProcessHandlers();
  const db = await openDatabase(databaseOptions(config), logger);
  lifecycle.add("database", () => db.close());
  const rest = config.DISCORD_TOKEN ? new REST({ api: config.DISCORD_REST_URL }).setToken(config.DISCORD_TOKEN) : undefined;
  const notifier = rest && new Notifier(db.notifierPrisma, logger.child({ component: "notifier" }), rest);
  // Device pairing stores credentials encrypted with the bot's key. On PostgreSQL without CREDS_ENCRYPTION_KEY
  // the sidecar still serves everything else; a malformed key stops it like the bot.
  const secrets = config.CREDS_ENCRYPTION_KEY || !config.DATABASE_URL ? await loadSecretBox(config, logger) : undefined;
  if (!secrets) logger.warn("device pairing is off: set CREDS_ENCRYPTION_KEY to the bot's key to turn it on");
  const web = await startWebServer({ config, prisma: db.prisma, logger, stripe: createStripe(config), notifier, secrets }).catch(async (error: unknown) => {
    // A busy WEB_PORT or a WEB_HOST not of this machine is reported by runMain in one line; the database is closed first.
    await lifecycle.close("web sidecar failed to start");
    throw error;
  });
  lifecycle.add("web", () => web.close());
  logger.info({ host: config.WEB_HOST, port: web.port }, "web sidecar listening");
});
