import { OverwriteType, PermissionFlagsBits as P, type APIOverwrite, type APIRole } from "discord-api-types/v10";

export const ALL_PERMISSIONS = Object.values(P).reduce((all, flag) => all | flag, 0n);
/** What a typical bot invite link grants. */
export const DEFAULT_BOT_PERMISSIONS =
  P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory |
  P.ManageChannels | P.ManageRoles | P.ManageMessages;
export const DEFAULT_MEMBER_PERMISSIONS = P.ViewChannel | P.SendMessages;

export interface PermissionSubject { userId: string; roleIds: readonly string[] }
export interface PermissionGuild { id: string; ownerId: string; roles: ReadonlyMap<string, APIRole> }

/** Guild-level permissions: @everyone | member roles; the owner and ADMINISTRATOR get everything. */
export function basePermissions(guild: PermissionGuild, who: PermissionSubject): bigint {
  if (who.userId === guild.ownerId) return ALL_PERMISSIONS;
  let permissions = BigInt(guild.roles.get(guild.id)?.permissions ?? "0");
  for (const roleId of who.roleIds) permissions |= BigInt(guild.roles.get(roleId)?.permissions ?? "0");
  return permissions & P.Administrator ? ALL_PERMISSIONS : permissions;
}

/** Discord's overwrite order: @everyone, then all role overwrites together (deny, then allow), then the member. */
export function channelPermissions(
  guild: PermissionGuild, who: PermissionSubject, overwrites: readonly APIOverwrite[],
): bigint {
  let permissions = basePermissions(guild, who);
  if (permissions & P.Administrator) return ALL_PERMISSIONS;
  const apply = (base: bigint, allow: bigint, deny: bigint): bigint => (base & ~deny) | allow;
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) permissions = apply(permissions, BigInt(everyone.allow), BigInt(everyone.deny));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type !== OverwriteType.Role || o.id === guild.id || !who.roleIds.includes(o.id)) continue;
    allow |= BigInt(o.allow);
    deny |= BigInt(o.deny);
  }
  permissions = apply(permissions, allow, deny);
  const member = overwrites.find((o) => o.type === OverwriteType.Member && o.id === who.userId);
  if (member) permissions = apply(permissions, BigInt(member.allow), BigInt(member.deny));
  return permissions & P.ViewChannel ? permissions : 0n; // no VIEW_CHANNEL denies everything else implicitly
}
