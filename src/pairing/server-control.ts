// What the owner can do with a paired server — keep it live, take it offline, remove it — in one place for
// /server and the buttons on the pairing message and the server card.
import type { REST } from "@discordjs/rest";
import type { BotContext } from "../bot/types.ts";
import { removeDeviceCard } from "../devices/draw-device.ts";
import { withinLimit } from "../billing/entitlements.ts";
import type { PairedServer, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { requireOwnedServer, type Surface } from "../sharing/server-access.ts";
import { serverLabel } from "./server-card.ts";

type Deps = Pick<BotContext, "prisma" | "config" | "rust" | "cards">;

/** `from`: a command's `server:` option or a button on a card, for the refusal's wording. */
export function ownedServer(deps: Deps, user: Pick<User, "id" | "steamId">, serverId: string, from: Surface): Promise<PairedServer> {
  return requireOwnedServer(deps.prisma, user, serverId, { action: "connect, disconnect or remove it", from });
}

/** Marks the server live (within the tier's live-server limit) and opens its connection. */
export async function connectServer(deps: Deps, user: Pick<User, "id" | "steamId">, serverId: string, from: Surface): Promise<string> {
  const server = await ownedServer(deps, user, serverId, from);
  const name = serverLabel(server);
  if (server.needsRepairSince) {
    throw new UserError(`${name} no longer accepts its pairing (a wipe or a revoked pairing). Pair it again in game: menu → Rust+ → Pair with server.`);
  }
  if (!server.live) {
    await withinLimit(deps.prisma, deps.config, user, "pairedServers", (tx) => tx.pairedServer.update({ where: { id: server.id }, data: { live: true } }));
  }
  const outcome = await deps.rust.connect(server.id);
  // Another bot process runs this user's connections (it was asked to connect now); its card follows.
  if (outcome === "held-elsewhere") return `Connecting to ${name}: another process of the bot keeps your connections and opens it. Its card in the status channel shows when it is live.`;
  if (outcome === "address-full") {
    await deps.cards.refresh(server.id);
    return `${name} stays live, but every address of the bot already has as many connections to that Rust server as it allows. It connects as soon as one frees up.`;
  }
  await deps.cards.refresh(server.id);
  return server.live && outcome === "unchanged" ? `${name} is already live; its card in the status channel shows the connection.` : `Connecting to ${name}. Its card in the status channel shows when it is live.`;
}

export async function disconnectServer(deps: Deps, user: Pick<User, "id" | "steamId">, serverId: string, from: Surface): Promise<string> {
  const server = await ownedServer(deps, user, serverId, from);
  // A wait for a connection slot ends with the wish to connect: connecting again and waiting again is told anew.
  await deps.prisma.pairedServer.update({ where: { id: server.id }, data: { live: false, slotWaitSince: null } });
  deps.rust.disconnect(server.id);
  await deps.cards.refresh(server.id);
  return `Disconnected from ${serverLabel(server)}. It stays paired; connect again any time.`;
}

/** Forgets the server: its row (and with it its devices, notes and shares), its connection and its cards. */
export async function removeServer(deps: Deps & Pick<BotContext, "logger"> & { rest: REST }, user: Pick<User, "id" | "steamId">, serverId: string, from: Surface): Promise<string> {
  const server = await ownedServer(deps, user, serverId, from);
  deps.rust.disconnect(server.id);
  const devices = await deps.prisma.smartDevice.findMany({ where: { pairedServerId: server.id }, select: { id: true } });
  await deps.prisma.pairedServer.deleteMany({ where: { id: server.id } });
  await deps.cards.remove(server.userId, server.id);
  for (const device of devices) await removeDeviceCard(deps, server.userId, device.id);
  return `Removed ${serverLabel(server)}, with its devices and notes. Pair it again in game to bring it back.`;
}
