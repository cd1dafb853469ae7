import { InteractionContextType, OverwriteType, PermissionFlagsBits as P, type APIApplicationCommand, type APIOverwrite, type APIRole } from "discord-api-types/v10";

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

/** Where a command is invoked: in a guild by a member with `permissions` (as the interaction reports them), or in the bot's DM. */
export type InvokeContext = { guild: true; permissions: bigint; owner: boolean } | { guild: false };

/**
 * Whether Discord offers a registered command there (else it is hidden or greyed out and never delivered):
 * - `contexts`, when set, must name the context (GUILD 0, BOT_DM 1); it then overrides `dm_permission`.
 * - In a guild, `default_member_permissions` null = everyone; "0" = administrators only; else the member needs
 *   every bit; the guild owner and ADMINISTRATOR always may. Per-command overrides a guild admin sets under
 *   Server Settings → Integrations are not modelled (the bot never sets them).
 * - In the bot's DM: a guild command never; a global one unless `dm_permission` is false. Member permissions do not apply.
 * Sources: https://discord.com/developers/docs/interactions/application-commands#permissions (default_member_permissions,
 * "0" = admins only, as discord-tickets/bot#435 quotes it); the contexts announcement
 * (gist devsnek/a47893004bc0ee577eb8e9fb76b4d57f: default {GUILD, BOT_DM}; when present, dm_permission is ignored).
 */
export function mayInvoke(
  command: Pick<APIApplicationCommand, "default_member_permissions" | "contexts" | "dm_permission" | "guild_id">,
  where: InvokeContext,
): boolean {
  const context = where.guild ? InteractionContextType.Guild : InteractionContextType.BotDM;
  if (command.contexts != null && !command.contexts.includes(context)) return false;
  if (!where.guild) return command.guild_id === undefined && (command.contexts != null || command.dm_permission !== false);
  if (command.default_member_permissions == null) return true;
  if (where.owner || (where.permissions & P.Administrator) !== 0n) return true;
  const needed = BigInt(command.default_member_permissions);
  return needed !== 0n && (where.permissions & needed) === needed;
}
