// Who an alarm wakes: a role per paired server, and optionally one per alarm (which wins).
import type { PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { requireOwnedServer } from "../sharing/server-access.ts";
import { plain } from "../bot/plain-text.ts";
import { listContent } from "../bot/list-reply.ts";

type Who = Pick<User, "id" | "steamId">;

async function ownedAlarmTarget(prisma: PrismaClient, user: Who, serverId: string, alarmId: string | undefined) {
  const server = await requireOwnedServer(prisma, user, serverId, { action: "choose who its alarms mention", from: "option" });
  if (!alarmId) return { server, alarm: null };
  const alarm = await prisma.smartDevice.findFirst({ where: { id: alarmId, pairedServerId: server.id, kind: "ALARM" } });
  if (!alarm) throw new UserError("That is not a smart alarm of this server. Pick one from the list.");
  return { server, alarm };
}

/** `roleId` null: mention nobody (for that alarm: fall back to the server's role). */
export async function setAlarmRole(prisma: PrismaClient, user: Who, serverId: string, alarmId: string | undefined, roleId: string | null): Promise<string> {
  const { server, alarm } = await ownedAlarmTarget(prisma, user, serverId, alarmId);
  if (alarm) {
    await prisma.smartDevice.update({ where: { id: alarm.id }, data: { mentionRoleId: roleId } });
    return roleId
      ? `${alarm.name} on ${serverLabel(server)} now mentions <@&${roleId}> when it triggers.`
      : `${alarm.name} on ${serverLabel(server)} mentions ${server.alarmRoleId ? `the server's role <@&${server.alarmRoleId}>` : "nobody"} now.`;
  }
  await prisma.pairedServer.update({ where: { id: server.id }, data: { alarmRoleId: roleId } });
  return roleId
    ? `Alarms and raid warnings of ${serverLabel(server)} now mention <@&${roleId}> (alarms with a role of their own keep it).`
    : `Alarms and raid warnings of ${serverLabel(server)} mention nobody now (alarms with a role of their own keep it).`;
}

export async function listAlarmRoles(prisma: PrismaClient, user: Who, serverId: string): Promise<string> {
  const { server } = await ownedAlarmTarget(prisma, user, serverId, undefined);
  const alarms = await prisma.smartDevice.findMany({ where: { pairedServerId: server.id, kind: "ALARM" }, orderBy: { name: "asc" }, take: 25 });
  const lines = alarms.map((a) => `🚨 ${plain(a.name)} → ${a.mentionRoleId ? `<@&${a.mentionRoleId}>` : server.alarmRoleId ? `<@&${server.alarmRoleId}> (server)` : "nobody"}`);
  const head = `**${plain(serverLabel(server))}**: ${server.alarmRoleId ? `<@&${server.alarmRoleId}>` : "no role"} for the server`;
  return listContent({ head, lines: lines.length ? lines : ["No smart alarms paired yet."], narrow: "set one with `/alarm notify alarm:`" });
}
