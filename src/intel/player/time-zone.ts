// The viewer's time zone for heatmaps: an IANA name checked by Intl, remembered in User.timeZone (UTC until
// chosen), and suggested as the user types from Intl's own list.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { UserError } from "../../errors.ts";

export const DEFAULT_TIME_ZONE = "UTC";
/**
 * Zones IANA renamed that ICU (Node's Intl) still lists and resolves under the old name: "Asia/Kolkata" comes
 * back as "Asia/Calcutta". The current names, from tzdata's `backward` file, where this Intl accepts them.
 */
const RENAMED: Readonly<Record<string, string>> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "America/Godthab": "America/Nuuk",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Pacific/Enderbury": "Pacific/Kanton",
};
const current = (zone: string): string => {
  const renamed = RENAMED[zone];
  if (!renamed) return zone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: renamed });
    return renamed;
  } catch {
    return zone;
  }
};
const ZONES: readonly string[] = [...new Set([DEFAULT_TIME_ZONE, ...Intl.supportedValuesOf("timeZone").map(current)])];

/**
 * The canonical spelling of an IANA time zone name ("europe/berlin" → "Europe/Berlin"; "Asia/Calcutta" →
 * "Asia/Kolkata", its current name).
 * @throws UserError when Intl does not know it (offsets like "+02:00" are not zones: they have no DST).
 */
export function parseTimeZone(input: string): string {
  const name = input.trim();
  if (!name || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name) || /^[+-]/.test(name)) throw unknownZone(input);
  try {
    return current(new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone);
  } catch (err) {
    if (err instanceof RangeError) throw unknownZone(input);
    throw err;
  }
}

const unknownZone = (input: string) =>
  new UserError(`\`${input.slice(0, 64).replace(/`/g, "")}\` is not a time zone. Pick one from the suggestions as you type in \`timezone:\` (an IANA name like Europe/Berlin or America/New_York).`);

/**
 * The zone to draw in: `given` (checked, then remembered for the user) or the one they chose before, or UTC.
 * @throws UserError for an unknown zone (nothing is remembered then).
 */
export async function viewerTimeZone(prisma: PrismaClient, user: { id: string; timeZone: string | null }, given: string | undefined): Promise<string> {
  if (given === undefined) return user.timeZone ?? DEFAULT_TIME_ZONE;
  const zone = parseTimeZone(given);
  if (zone !== user.timeZone) await prisma.user.update({ where: { id: user.id }, data: { timeZone: zone } });
  return zone;
}

/** Up to 25 zone names for autocomplete: names starting with the text (or a part after "/") first, then containing it. */
export function timeZoneChoices(search: string): { name: string; value: string }[] {
  const typed = search.trim().toLowerCase().replace(/ /g, "_").slice(0, 64);
  const starts: string[] = [];
  const contains: string[] = [];
  for (const zone of ZONES) {
    const lower = zone.toLowerCase();
    if (lower.startsWith(typed) || lower.includes(`/${typed}`)) starts.push(zone);
    else if (lower.includes(typed)) contains.push(zone);
  }
  return [...starts, ...contains].slice(0, 25).map((zone) => ({ name: zone, value: zone }));
}
