// The playground's page server (npm run demo): the page (src/demo/page/), its JSON API over the fake Discord
// and the simulated world (playground-api.ts), live updates as Server-Sent Events, and the images the bot
// uploaded, served as Discord's CDN serves them. Loopback only: it acts as the demo user without any login.
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ChannelType, type APIUser } from "discord-api-types/v10";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { FakeDiscord } from "../../test/fakes/discord/index.ts";
import type { Logger } from "../logger.ts";
import type { DemoWorld } from "./demo-world-types.ts";
import { DiscordView } from "./discord-view.ts";
import { apiErrors, playgroundApi } from "./playground-api.ts";

export interface PlaygroundOptions {
  discord: FakeDiscord;
  guildId: string;
  /** The person at the page: made a member with Manage Server (DiscordView). */
  user: APIUser;
  world: DemoWorld;
  /** A loopback address only: 127.0.0.1 (default) or ::1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** For requests that fail unexpectedly. */
  logger?: Logger;
}

export interface Playground {
  /** "http://127.0.0.1:PORT/". */
  url: string;
  /** Ends the live streams and stops the server (the fakes and the world stay: the caller owns them). */
  close(): Promise<void>;
}

const PAGE_DIR = fileURLToPath(new URL("./page/", import.meta.url));
/** The page's fonts, from the project's own packages (as the map's, src/map/fonts.ts): nothing comes from a CDN. */
const FONT_PACKAGES = { inter: "@fontsource/inter", "noto-emoji": "@fontsource/noto-emoji" } as const;
const FONT_FILE = /^\/(?:[\w-]+\/)?[\w-]+\.(?:css|woff2?)$/;
const LOOPBACK = new Set(["127.0.0.1", "::1"]);
/** A comment line now and then, so a proxy or the browser does not take a quiet stream for a dead one. */
const KEEPALIVE_MS = 15_000;

/** @throws Error for a host that is not a loopback address (the page needs no login: it must not be reachable from elsewhere). */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) throw new Error(`The playground listens on 127.0.0.1 or ::1 only, not ${host}: it acts as the demo user without a login.`);
  const { discord, guildId, world } = options;
  // A guild has somewhere to type before /setup creates its channels.
  if (!discord.channels(guildId).some((c) => c.type === ChannelType.GuildText)) discord.guild(guildId).createChannel({ name: "general" });
  const view = new DiscordView(discord, guildId, options.user);
  const streams = new Set<Response>();

  const app = express();
  app.disable("x-powered-by");
  let origin = "";
  // DNS rebinding: a page of another site resolving its name to 127.0.0.1 reaches us with its own Host header.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const allowed = [origin, origin.replace(/\/\/(\[::1\]|127\.0\.0\.1)/, "//localhost")];
    if (!allowed.includes(`http://${req.headers.host ?? ""}`)) return void res.status(403).json({ error: "Open the playground at the address it printed." });
    if (req.method !== "GET" && req.headers.origin !== undefined && !allowed.includes(req.headers.origin)) return void res.status(403).json({ error: "Requests from other sites are refused." });
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"], "img-src": ["'self'", "data:"], "style-src": ["'self'"], "script-src": ["'self'"], "connect-src": ["'self'"],
          "frame-ancestors": ["'none'"], "base-uri": ["'none'"], "form-action": ["'none'"], "object-src": ["'none'"],
        },
      },
      referrerPolicy: { policy: "no-referrer" },
    }),
  );
  app.get("/api/events", (req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    const send = (type: string, data: unknown) => void res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    // The whole state first: a page (re)connecting draws from it, then applies what follows.
    send("state", { discord: view.snapshot(), world: world.view() });
    const stopDiscord = view.subscribe((event) => send("discord", event));
    const stopWorld = world.onChange((next) => send("world", next));
    const keepalive = setInterval(() => res.write(": keepalive\n\n"), KEEPALIVE_MS);
    streams.add(res);
    req.on("close", () => {
      stopDiscord();
      stopWorld();
      clearInterval(keepalive);
      streams.delete(res);
    });
  });
  app.use("/api", express.json({ limit: "64kb" }), playgroundApi(view, world));
  const require = createRequire(import.meta.url);
  for (const [name, pkg] of Object.entries(FONT_PACKAGES)) {
    const dir = dirname(require.resolve(`${pkg}/package.json`));
    app.use(`/fonts/${name}`, (req, res, next) => (FONT_FILE.test(req.path) ? next() : void res.status(404).json({ error: "Not found" })), express.static(dir, { index: false, immutable: true, maxAge: "1d" }));
  }
  app.get("/attachments/:id/:name", (req, res) => {
    const stored = view.attachments.get(`/attachments/${req.params.id}/${encodeURIComponent(req.params.name)}`);
    const bytes = stored && discord.attachment(stored.url);
    if (!stored || !bytes) return void res.status(404).json({ error: "No such attachment (the fake keeps the newest 100 files)." });
    res.type(stored.contentType ?? "application/octet-stream").setHeader("cache-control", "private, max-age=3600");
    res.send(Buffer.from(bytes));
  });
  app.use(express.static(PAGE_DIR, { index: "index.html", fallthrough: true }));
  app.use((_req, res) => void res.status(404).json({ error: "Not found" }));
  app.use(apiErrors(options.logger));

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host === "::1" ? "[::1]" : host}:${port}`;
  return {
    url: `${origin}/`,
    async close() {
      view.close();
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
