// Smart devices in the bot: the sync that follows the game (reconnect readings, entityChanged broadcasts) and
// what a device pairing push needs. Built once per bot in src/bot/app.ts.
import type { REST } from "@discordjs/rest";
import type { Config } from "../config.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { DevicePairing } from "../pairing/handle-push.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { DeviceSync } from "./device-sync.ts";

export function startDevices(deps: { prisma: PrismaClient; rest: REST; logger: Logger; rust: ConnectionManager; notifier: Notifier; config: Config }): {
  sync: DeviceSync;
  pairing: DevicePairing;
} {
  const sync = new DeviceSync({ ...deps, logger: deps.logger.child({ component: "devices" }) });
  sync.start();
  return { sync, pairing: { config: deps.config, paired: (deviceId) => sync.paired(deviceId) } };
}
