// The bot in a process: the discord.js client (its shards from config or from a ShardingManager), the
// interaction router and the notifier. Used by npm start and by each process under start:sharded.
import { Events, type Client } from "discord.js";
import { commands, components } from "../../commands/index.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { SecretBox } from "../db/crypto.ts";
import { AlarmWatcher } from "../alarms/alarm-watcher.ts";
import { AlarmMatcher } from "../alarms/matcher.ts";
import { DeathMatcher } from "../events/death-matcher.ts";
import { deviceCommands } from "../devices/ingame-commands.ts";
import { startDevices } from "../devices/start.ts";
import { MAP_COMMANDS } from "../events/ingame-commands.ts";
import type { ServerEvents } from "../events/server-events.ts";
import { startServerEvents } from "../events/start.ts";
import { MapImages } from "../map/map-image-store.ts";
import { MapService } from "../map/map-service.ts";
import { LiveMaps } from "../map/live-map.ts";
import { startInGame, type InGame, type InGameOptions } from "../ingame/start.ts";
import type { Lifecycle } from "../lifecycle.ts";
import type { Logger } from "../logger.ts";
import { startLiveLimits } from "../billing/live-limit.ts";
import { lookupCharge } from "../billing/lookup-charge.ts";
import { startSweeper } from "../maintenance/sweep.ts";
import { createA2sClient } from "../intel/a2s/a2s-client.ts";
import { IntelPoller, type IntelPollerOptions } from "../intel/poll/intel-poller.ts";
import { noteInGameCommand } from "../notes/ingame-command.ts";
import { IntelWatch } from "../intel/watch/alerts.ts";
import { onlineWithIntel } from "../intel/watch/online-command.ts";
import { online } from "../ingame/commands/team-status.ts";
import { startNotesAtWipe, type NotesAtWipe } from "../notes/wipe.ts";
import { guildRemoved } from "../notify/guild-removed.ts";
import { Notifier } from "../notify/notifier.ts";
import { pushHandler } from "../pairing/handle-push.ts";
import { ServerCards } from "../pairing/server-cards.ts";
import { OwnShopSales } from "../shop/own/sales.ts";
import { OwnShopUndercuts } from "../shop/own/undercut.ts";
import { ConnectionManager, type ManagerOptions } from "../rustplus/connection-manager.ts";
import { startExpiryWarnings } from "../rustplus/credential-expiry.ts";
import { startPushHealthChecks } from "../rustplus/push-health.ts";
import { PushListener } from "../rustplus/push-listener.ts";
import { configuredPushSource, type PushSourceFactory } from "../rustplus/push-source.ts";
import { BattleMetrics } from "../intel/battlemetrics/index.ts";
import { createDiscordClient } from "./client.ts";
import { Fleet, type FleetView } from "../fleet/fleet.ts";
import { SlotWaitNotices } from "../fleet/slot-waits.ts";
import { LeaseKeeper } from "../fleet/lease-keeper.ts";
import { egressAddresses, type SlotWaits } from "../fleet/types.ts";
import type { Timers } from "../rustplus/timers.ts";
import { createRouter } from "./router.ts";
import { watchSockets } from "../metrics/rustplus.ts";
import { ShopMarkets } from "../shop/market-service.ts";
import { shopInGameCommand } from "../shop/ingame-command.ts";
import { PriceHistory } from "../shop/price-history.ts";
import { TrackAlerts } from "../shop/track/alerts.ts";
import type { BotContext, ComponentHandler, SlashCommand } from "./types.ts";

export interface RunningBot {
  client: Client;
  notifier: Notifier;
  pushes: PushListener;
  ctx: BotContext;
  /** Team chat bridge and in-game commands; features add commands to its registry. */
  ingame: InGame;
  /** Alarms and raid warnings from the live sockets (tests wait on it). */
  alarms: AlarmWatcher;
  /** Smart devices kept in step with the game (tests wait on it). */
  devices: ReturnType<typeof startDevices>["sync"];
  /** Own shops' sales from their storage monitors (tests wait on it). */
  ownShops: OwnShopSales;
  /** Map events, deaths and logins of connected servers (tests wait on it). */
  events: ServerEvents;
  /** Shop tracking's market from vending markers: listeners per poll (onUpdate), stored listings (tests wait on settled). */
  shops: ShopMarkets;
  /** Map notes of an earlier wipe being deleted (tests wait on it). */
  notes: NotesAtWipe;
  /** /map live messages (tests look at them with tick()). */
  liveMaps: LiveMaps;
  /** BattleMetrics (optional, BATTLEMETRICS_TOKEN): the poll's enricher and the look-ups for /player. */
  battlemetrics: BattleMetrics;
  /** The shared player-intel poll: later features add listeners (onPoll) and BattleMetrics (setEnricher); tests drive it. */
  intel: IntelPoller;
  /** Watchlist alerts, name changes and streamer-mode notices: `intelWatch.listener` listens to the intel poll. */
  intelWatch: IntelWatch;
  /** This process's part of the fleet: its leases, their health, and rounds (tests wait on them). */
  fleet: FleetView;
}

export interface BotOptions {
  /** Where pushes come from (Google's FCM by default; tests feed payloads). */
  pushSource?: PushSourceFactory;
  commands?: readonly SlashCommand[];
  components?: readonly ComponentHandler[];
  /** When an unanswered interaction is deferred. */
  deferAfterMs?: number;
  /** Connection manager settings (tests use a virtual clock). */
  rust?: ManagerOptions;
  ingame?: InGameOptions;
  /** Player-intel poll settings (tests: a virtual clock, their fake's query port, a short A2S timeout). */
  intel?: Partial<Omit<IntelPollerOptions, "intervalMs">> & { a2sTimeoutMs?: number };
  /** The notifier's clock in ms (tests: a virtual one, for the cache of guilds' roles). */
  notifier?: { now?: () => number };
  /** The fleet's monotonic clock and round timers (tests: one they pause), and its slot waits. */
  fleet?: { timers?: Timers; slotWaits?: SlotWaits };
}

/** Builds the bot and registers its shutdown; call login() on the client to connect. */
export function createBot(
  config: Config,
  db: Database,
  secrets: SecretBox,
  logger: Logger,
  lifecycle: Lifecycle,
  options: BotOptions = {},
): RunningBot {
  const client = createDiscordClient(config);
  const notifier = new Notifier(db.notifierPrisma, logger.child({ component: "notifier" }), client.rest, options.notifier);
  const allCommands = options.commands ?? commands;
  const rust = new ConnectionManager(db.prisma, secrets, notifier, logger.child({ component: "rust" }), options.rust);
  const cards = new ServerCards(db.prisma, client.rest, logger.child({ component: "cards" }), rust);
  cards.start();
  // A death on a live server arrives from its team state and as a push: matched so it is posted once.
  const deaths = new DeathMatcher(options.rust?.timers?.now);
  // The server's map image: fetched once per wipe, shared by the events (monuments) and /map.
  const mapImages = new MapImages(db.prisma, rust);
  const maps = new MapService(db.prisma, rust, mapImages, logger.child({ component: "map" }));
  const liveMaps = new LiveMaps(db.prisma, client.rest, rust, maps, logger.child({ component: "live-map" }), options.rust?.timers);
  const notes = startNotesAtWipe(rust, db.prisma, logger.child({ component: "notes" }));
  // Shop tracking's market: every marker poll's vending machines, frozen while a connection is down.
  const shops = new ShopMarkets({ prisma: db.prisma, logger: logger.child({ component: "shop" }), timers: options.rust?.timers });
  // The lowest listed price of each item per hour this wipe (/shop price).
  const prices = new PriceHistory({ prisma: db.prisma, logger: logger.child({ component: "shop-prices" }) });
  shops.onUpdate(prices.listener);
  shops.onForget((serverId) => prices.forget(serverId));
  const events = startServerEvents(rust, db.prisma, notifier, logger.child({ component: "events" }), { timers: options.rust?.timers, deaths, maps: mapImages, markets: shops });
  // A live server reconnects with its new token (its card follows the connection's state).
  const onPaired = (serverId: string) => {
    rust.connect(serverId).catch((err: unknown) => logger.error({ err, serverId }, "connecting a newly paired server failed"));
  };
  const devices = startDevices({ prisma: db.prisma, rest: client.rest, logger, rust, notifier, config });
  const battlemetrics = new BattleMetrics({ config, prisma: db.prisma, notifier, logger: logger.child({ component: "battlemetrics" }), ...(options.rust?.timers && { timers: options.rust.timers }) });
  battlemetrics.start().catch((err: unknown) => logger.error({ err }, "reading the BattleMetrics switch failed"));
  const alarms = new AlarmWatcher(notifier, logger.child({ component: "alarms" }), new AlarmMatcher());
  devices.sync.onDrawn((drawn) => alarms.drawn(drawn));
  // The team's own vending machines (storage monitors with 30 slots): sales and sell-outs to #shop.
  const ownShops = new OwnShopSales({ prisma: db.prisma, notifier, logger: logger.child({ component: "own-shops" }) });
  devices.sync.onDrawn(ownShops.listener);
  // Where vending markers are reported: own shops linked to their machine, and alerts when another sells cheaper.
  const undercuts = new OwnShopUndercuts({ prisma: db.prisma, notifier, logger: logger.child({ component: "own-shops" }) });
  shops.onUpdate(undercuts.listener);
  shops.onForget(undercuts.forget);
  const pushes = new PushListener(db.prisma, secrets, logger.child({ component: "push" }), options.pushSource ?? configuredPushSource(config), pushHandler(secrets, notifier, onPaired, devices.pairing, alarms, deaths));
  const intel = new IntelPoller(db.prisma, createA2sClient(options.intel?.a2sTimeoutMs ? { timeoutMs: options.intel.a2sTimeoutMs } : {}), logger.child({ component: "intel" }), {
    ...options.intel,
    intervalMs: config.INTEL_POLL_INTERVAL_MS,
  });
  // Which process runs which user's sockets and push listener, and the intel poll: leases in the database.
  const addresses = egressAddresses(config.RUSTPLUS_EGRESS_ADDRESSES);
  const fleetClock = options.fleet?.timers;
  const keeper = new LeaseKeeper(db.prisma, {
    ttlMs: config.FLEET_LEASE_TTL_MS,
    addresses,
    connectionsPerAddress: config.RUSTPLUS_CONNECTIONS_PER_ADDRESS,
    notify: db.kind === "postgres",
    soleProcess: db.kind === "embedded",
    ...(fleetClock && { now: fleetClock.now }),
    logger: logger.child({ component: "fleet" }),
  });
  const fleet = new Fleet({
    prisma: db.prisma,
    logger: logger.child({ component: "fleet" }),
    keeper,
    addresses,
    rust,
    pushes,
    intel,
    // The owner is told once when no process of the fleet has a slot for a server, and its card says it waits.
    slotWaits:
      options.fleet?.slotWaits ??
      new SlotWaitNotices(db.prisma, notifier, logger.child({ component: "fleet" }), {
        leaseTtlMs: config.FLEET_LEASE_TTL_MS,
        onChange: (serverId) => void cards.refresh(serverId).catch((err: unknown) => logger.warn({ err, serverId }, "redrawing a waiting server's card failed")),
      }),
    ...(fleetClock && { timers: fleetClock }),
    ...(db.url && { listenUrl: db.url }),
  });
  rust.setLeases(fleet.socketLeases);
  pushes.setOwnership(fleet.pushOwnership);
  // A wipe seen in Rust+ info closes the sessions of the map before it (A2S `born` does the same at the next poll).
  rust.on("snapshot", (serverId, snapshot) => {
    const target = rust.get(serverId)?.target;
    if (target) void intel.wipeSeen(target.ip, target.port, snapshot.info.wipeTime);
  });
  const ctx: BotContext = { config, logger, prisma: db.prisma, secrets, notifier, pushes, rust, cards, maps, liveMaps, intel, battlemetrics, chargeLookup: lookupCharge(db.prisma, config), shops, commands: allCommands };
  const router = createRouter(ctx, allCommands, options.components ?? components, options.deferAfterMs);
  const ingame = startInGame({ client, prisma: db.prisma, rust, notifier, logger, monuments: (serverId) => events.monuments(serverId) }, options.ingame);
  ingame.registry.add(...MAP_COMMANDS, noteInGameCommand(config), shopInGameCommand(shops)).replace(onlineWithIntel(online)).addResolver(deviceCommands(db.prisma));
  // Tracked shop items: one coalesced #shop post per user and poll when an offer appears, drops to the limit, is back or is gone.
  const trackAlerts = new TrackAlerts({ prisma: db.prisma, notifier, logger: logger.child({ component: "shop-track" }), monuments: (serverId) => events.monuments(serverId) });
  shops.onUpdate(trackAlerts.listener);
  shops.onForget(trackAlerts.forget);
  const intelWatch = new IntelWatch({ prisma: db.prisma, notifier, logger: logger.child({ component: "intel-watch" }) });
  // Each answered poll feeds the watchlist alerts; BattleMetrics (when on) adds its ids to the poll's names.
  intel.onPoll(intelWatch.listener);
  intel.setEnricher(battlemetrics.enricher);

  client.on(Events.InteractionCreate, (interaction) => {
    router.handle(interaction).catch((err: unknown) => logger.error({ err }, "interaction routing failed"));
  });
  client.once(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size, shards: ready.ws.shards.map((s) => s.id) }, "logged in to Discord");
    notifier.start({ soleProcess: db.kind === "embedded" });
    // Rounds claim users (their push listener and sockets) and the intel poll, whatever the shards; the first
    // one restores the work this process can take. Credentials saved by another process (a sidecar run with
    // start:web) are picked up by each round's sync of the push listener.
    fleet.start(ready.ws.shards.map((s) => s.id)).catch((err: unknown) => logger.error({ err }, "starting the fleet's rounds failed"));
  });
  // A permission given back (to the bot's role, the bot, or in a channel) releases held notifications.
  const releasePermissionHolds = (guildId: string) => {
    notifier.releasePermissionHolds(guildId).catch((err: unknown) => logger.error({ err, guildId }, "releasing held notifications failed"));
  };
  client.on(Events.GuildRoleUpdate, (_old, role) => releasePermissionHolds(role.guild.id));
  client.on(Events.ChannelUpdate, (_old, channel) => {
    if (!channel.isDMBased()) releasePermissionHolds(channel.guildId);
  });
  // Sent for the bot itself even without the GuildMembers intent.
  client.on(Events.GuildMemberUpdate, (_old, member) => {
    if (member.id === client.user?.id) releasePermissionHolds(member.guild.id);
  });
  client.on(Events.GuildDelete, (guild) => {
    guildRemoved({ prisma: db.prisma, rest: client.rest, logger }, guild.id, guild.name).catch((err: unknown) => logger.error({ err, guildId: guild.id }, "handling removal from a guild failed"));
  });
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ shardId, code: event.code }, "shard disconnected"));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, "shard resumed"));
  client.on(Events.Error, (err) => logger.error({ err }, "discord client error"));

  lifecycle.add("sweeper", startSweeper(db.prisma, logger, notifier));
  lifecycle.add("credential expiry", startExpiryWarnings(db.prisma, notifier, logger));
  lifecycle.add("push health", startPushHealthChecks(db.prisma, notifier, () => pushes.channels(), logger));
  lifecycle.add("discord", () => client.destroy());
  lifecycle.add("notifier", () => notifier.stop());
  lifecycle.add("live limits", startLiveLimits(db.prisma, config, rust, notifier, logger.child({ component: "live-limits" })));
  lifecycle.add("live maps", liveMaps.start());
  // Closed after the sockets and push listeners below have stopped: the leases go back, others take over at once.
  lifecycle.add("fleet leases", () => fleet.releaseAll());
  lifecycle.add("rust+", () => rust.stopAll({ handOver: true }));
  lifecycle.add("socket metrics", watchSockets(() => rust.counts()));
  lifecycle.add("in-game", () => ingame.stop());
  // Closed in reverse order: the sessions end first (each writes its market's last changes), then those writes finish.
  lifecycle.add("shop market writes", () => shops.settled());
  lifecycle.add("server events", () => events.stopAll());
  lifecycle.add("pushes", () => pushes.close());
  lifecycle.add("intel poll idle", () => {
    intel.stop();
    return intel.idle();
  });
  lifecycle.add("battlemetrics", () => battlemetrics.stop());
  // First on shutdown: no round may take or reopen anything while the rest closes.
  lifecycle.add("fleet rounds", () => fleet.stop());
  return { client, notifier, pushes, ctx, ingame, events, shops, alarms, ownShops, devices: devices.sync, notes, liveMaps, battlemetrics, intel, intelWatch, fleet };
}
