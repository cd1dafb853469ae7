// `npm run start:proxy`: the fleet's Discord REST proxy (rest-proxy.ts). This process talks to Discord (its
// DISCORD_REST_URL, Discord's by default); every bot process sets DISCORD_REST_URL to the URL printed here.
// It needs no token: each request carries its bot's Authorization header, passed on as is.
import { loadConfig } from "../config.ts";
import { EnvironmentError, listenProblem } from "../environment-errors.ts";
import { runMain } from "../fatal.ts";
import { Lifecycle } from "../lifecycle.ts";
import { createLogger } from "../logger.ts";
import { startRestProxy, upstreamIsSelf } from "./rest-proxy.ts";

await runMain(async () => {
  const config = await loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === "development" && process.stdout.isTTY });
  const lifecycle = new Lifecycle(logger);
  lifecycle.installProcessHandlers();
  const { DISCORD_PROXY_HOST: host, DISCORD_PROXY_PORT: port } = config;
  if (upstreamIsSelf(config.DISCORD_REST_URL, host, port)) {
    throw new EnvironmentError(
      "DISCORD_REST_URL",
      `${config.DISCORD_REST_URL} is this proxy itself, so every request would be sent round to it forever; leave DISCORD_REST_URL unset for the proxy (Discord's) and point only the bot processes at it`,
    );
  }
  const proxy = await startRestProxy({ upstream: config.DISCORD_REST_URL, perSecond: config.DISCORD_GLOBAL_REQUESTS_PER_SECOND, host, port, logger }).catch((error: unknown) => {
    throw listenProblem(error, port, host, { port: "DISCORD_PROXY_PORT", host: "DISCORD_PROXY_HOST" }) ?? error;
  });
  lifecycle.add("rest proxy", () => proxy.close());
  logger.info({ url: proxy.url, upstream: config.DISCORD_REST_URL, perSecond: config.DISCORD_GLOBAL_REQUESTS_PER_SECOND }, "REST proxy listening: set DISCORD_REST_URL of every bot process to its url");
});
