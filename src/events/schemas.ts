// What map events, deaths and logins read from a game server, checked entry by entry: one bad marker or
// member is logged and skipped, the rest still count.
import { z } from "zod";
import type { Logger } from "../logger.ts";
import { coordinate } from "../rustplus/responses.ts";

export { teamMember, type TeamMember } from "../rustplus/responses.ts";

export const MarkerKind = { VendingMachine: 3, CH47: 4, CargoShip: 5, PatrolHelicopter: 8, TravelingVendor: 9 } as const;

export const mapMarker = z.object({
  id: z.number().int().min(0).max(0xffff_ffff),
  type: z.number().int(),
  x: coordinate,
  y: coordinate,
  name: z.string().max(1000).optional(),
});
export type MapMarker = z.infer<typeof mapMarker>;

export const monument = z.object({ token: z.string().max(200), x: coordinate, y: coordinate });
export type Monument = z.infer<typeof monument>;

/** The valid entries of a list from the server; a missing list is empty, a bad entry is logged and left out. */
export function parseEach<T>(schema: z.ZodType<T>, list: unknown, logger: Logger, what: string): T[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    logger.warn({ what }, "the server sent a list that is not a list; ignored");
    return [];
  }
  const out: T[] = [];
  for (const entry of list) {
    const parsed = schema.safeParse(entry);
    if (parsed.success) out.push(parsed.data);
    else logger.warn({ what, issue: parsed.error.issues[0]?.message, path: parsed.error.issues[0]?.path.join(".") }, "skipped an entry the server sent that is not valid");
  }
  return out;
}
