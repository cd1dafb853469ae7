// Teams for a fleet test, written the way the bot itself writes them (for scale: dozens of pairings in
// seconds): each user linked (Discord account ↔ Steam), a guild of their own set up as /setup leaves it (one
// channel per family, recorded in DiscordIntegration, the user's notifications routed there), push credentials
// stored with saveCredentials under the fleet's key and known to the fake MCS, and servers paired and live
// (token sealed as pairServer does) on fake Rust+ servers of their own, each with one smart alarm.
// Alarms then fire as the game fires them: an entityChanged broadcast on the sockets that asked about the alarm,
// and the Rust+ companion's FCM push for the same trigger (research/rustplus.md: channelId "alarm", the alarm's
// name as title, the server in the body).
import { DISCORD_PROVIDER } from "../../src/identity/linked-user.ts";
import { FAMILIES, FAMILY_LIST } from "../../src/notify/families.ts";
import { saveCredentials } from "../../src/rustplus/credentials-store.ts";
import { parseCredentialFields } from "../../src/rustplus/fcm-credentials.ts";
import { EntityType, FakeRustServer } from "../fakes/rustplus/index.ts";
import type { Fleet } from "./fleet.ts";
import { steamId as nextSteamId } from "./fixtures.ts";

const ALARM_ENTITY = 7001;

export interface SeededServer {
  /** PairedServer.id */
  id: string;
  rust: FakeRustServer;
  /** The smart alarm's name: its device name and its push title, so each post names it. */
  alarmName: string;
  /** "127.0.0.1:port/steamId", as the socket recorder names the pairing. */
  pairing: string;
}

export interface SeededTeam {
  userId: string;
  discordUserId: string;
  steamId: string;
  androidId: string;
  guildId: string;
  alarmsChannelId: string;
  servers: SeededServer[];
}

export interface SeedOptions {
  users: number;
  serversPerUser: number;
  /** The shard of user i's guild (a fleet split by shards); default any. */
  shardOf?: (user: number) => number;
}

/** Writes the teams; the processes started afterwards restore them (push listeners, live sockets). */
export async function seedTeams(fleet: Fleet, options: SeedOptions): Promise<SeededTeam[]> {
  const { prisma } = fleet.db;
  const teams: SeededTeam[] = [];
  for (let u = 0; u < options.users; u++) {
    const player = fleet.discord.createUser();
    const shard = options.shardOf?.(u);
    const guild = fleet.discord.createGuild({ name: `Team ${u}`, ...(shard !== undefined && { shard }) });
    const steamId = nextSteamId();
    const user = await prisma.user.create({ data: { steamId, displayName: `Player ${u}`, accounts: { create: { provider: DISCORD_PROVIDER, providerAccountId: player.id } } } });
    const category = guild.createChannel({ name: "Rust+", type: 4 });
    const columns: Record<string, string> = {};
    for (const family of FAMILY_LIST) {
      const info = FAMILIES[family];
      columns[`${info.column}ChannelId`] = guild.createChannel({ name: info.channelName, parent_id: category.id, topic: info.topic }).id;
    }
    await prisma.discordIntegration.create({ data: { guildId: guild.id, guildName: guild.name, setupByDiscordId: player.id, categoryId: category.id, ...columns } });
    await prisma.user.update({ where: { id: user.id }, data: { notificationGuildId: guild.id } });

    const androidId = String(5_550_000_000_000_000_000n + BigInt(u));
    const securityToken = String(1_000_000_000 + u);
    fleet.mcs.addDevice(androidId, securityToken);
    await saveCredentials(prisma, fleet.secrets, user, parseCredentialFields({ androidId, securityToken, steamId, expiresAt: "2099-01-01" }));

    const servers: SeededServer[] = [];
    for (let s = 0; s < options.serversPerUser; s++) {
      const playerToken = 100_000 + u * 100 + s;
      const rust = await FakeRustServer.start({
        players: [{ steamId, playerToken }],
        world: { entities: { [ALARM_ENTITY]: { type: EntityType.Alarm, value: false } } },
        recorder: fleet.recorder,
      });
      const sealed = fleet.secrets.seal("PairedServer.playerToken", String(playerToken));
      const alarmName = `Alarm u${u} s${s}`;
      const row = await prisma.pairedServer.create({
        data: {
          userId: user.id, serverName: `Server u${u} s${s}`, ip: "127.0.0.1", port: rust.port, playerSteamId: steamId,
          playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true,
          smartDevices: { create: { kind: "ALARM", entityId: BigInt(ALARM_ENTITY), name: alarmName } },
        },
      });
      servers.push({ id: row.id, rust, alarmName, pairing: `127.0.0.1:${rust.port}/${steamId}` });
    }
    teams.push({ userId: user.id, discordUserId: player.id, steamId, androidId, guildId: guild.id, alarmsChannelId: columns["alarmsChannelId"]!, servers });
  }
  return teams;
}

/** Every seeded server's fake closed (their sockets dropped). */
export async function closeTeams(teams: readonly SeededTeam[]): Promise<void> {
  await Promise.all(teams.flatMap((t) => t.servers.map((s) => s.rust.close())));
}

let pushes = 0;

/**
 * The server's smart alarm goes off, as in the game: re-armed (value false) if it was on, then powered, which the
 * server broadcasts as entityChanged on every socket that asked about it; and the FCM push of the same trigger is
 * sent to the user's device at the fake MCS (delivered now, or at the next login until a login acknowledges it).
 * Returns the push's persistent id (the bot records it in PushReceipt once handled).
 */
export function fireAlarm(fleet: Fleet, team: SeededTeam, server: SeededServer): string {
  const entity = server.rust.world.entities.get(ALARM_ENTITY);
  if (entity?.type === EntityType.Alarm && entity.value) server.rust.setEntityValue(ALARM_ENTITY, false);
  server.rust.triggerAlarm(ALARM_ENTITY);
  const body = { img: "", port: String(server.rust.port), ip: "127.0.0.1", name: `Server for ${server.alarmName}`, id: "4d0b6f0e", type: "alarm", url: "", desc: "", playerId: team.steamId, playerToken: "0" };
  const persistentId = `0:${Date.now()}${++pushes}%fleet`;
  fleet.mcs.deliver(team.androidId, {
    persistentId,
    appData: [
      { key: "channelId", value: "alarm" },
      { key: "title", value: server.alarmName },
      { key: "message", value: "Your base is under attack!" },
      { key: "body", value: JSON.stringify(body) },
    ],
  });
  return persistentId;
}

/**
 * Whether both arrivals of the trigger `persistentId` of `server`'s alarm were handled by the fleet and what they
 * posted is out: the push recorded (PushReceipt), the broadcast recorded (the alarm's lastTriggeredAt at or after
 * `since`; unless `broadcast` is false), and no notification waiting in the outbox. A duplicate after that would need a third arrival.
 */
export async function alarmSettled(fleet: Fleet, team: SeededTeam, server: SeededServer, persistentId: string, since: Date, options: { broadcast?: boolean } = {}): Promise<boolean> {
  const { prisma } = fleet.db;
  const receipt = await prisma.pushReceipt.findUnique({ where: { userId_persistentId: { userId: team.userId, persistentId } } });
  // A trigger while no socket was up (the handover) reaches the bot as a push only.
  const device = options.broadcast === false ? true : await prisma.smartDevice.findFirst({ where: { pairedServerId: server.id, lastTriggeredAt: { gte: since } } });
  const waiting = await prisma.notificationOutbox.count({ where: { userId: team.userId, status: "PENDING" } });
  return receipt !== null && device !== null && waiting === 0;
}

/** Whether the server has an open socket, opened after `since` (epoch ms), that asked about its alarm (so it gets its triggers). */
export function liveSince(server: SeededServer, since = 0): boolean {
  return server.rust.connectionInfo().some((c) => c.socket.openedAt > since && c.socket.closedAt === null && c.entities.includes(ALARM_ENTITY));
}

/** Posts of this server's alarm in the team's alarms channel (each names the alarm in its embed's title). */
export function alarmPosts(fleet: Fleet, team: SeededTeam, server: SeededServer): number {
  return fleet.discord.messages(team.alarmsChannelId).filter((m) => m.embeds.some((e) => e.title === `🚨 ${server.alarmName}`)).length;
}
