// The JSON:API documents we read from BattleMetrics, validated on arrival (anything else is a "malformed" error,
// never a crash). Shapes as public clients read them: servers (attributes.ip, port = game port, portQuery) and
// `included[]` players (type "player", attributes.name) from rustplusplus src/structures/Battlemetrics.js and the
// hizenxyz/battlemetrics-client fixtures; player identifiers (type "identifier", attributes.type "steamID" or
// "name", identifier, lastSeen), sessions (attributes.start/stop/name) and quick-match (identifier →
// relationships.player.data.id) from thegamecracks/abattlemetrics. Fields we do not read are not required.
import { z } from "zod";

const id = z.string().regex(/^\d{1,20}$/);
const isoDate = z.iso.datetime({ offset: true });
const links = z.object({ next: z.string().nullish() }).nullish();

export const serverResource = z.object({
  type: z.literal("server"),
  id,
  attributes: z.object({
    name: z.string(),
    ip: z.string().nullish(),
    /** The game port. */
    port: z.number().int().nullish(),
    /** The Steam query port. */
    portQuery: z.number().int().nullish(),
    players: z.number().int().nullish(),
    maxPlayers: z.number().int().nullish(),
    status: z.string().nullish(),
  }),
});
export type ServerResource = z.infer<typeof serverResource>;

const includedItem = z.object({ type: z.string(), id: z.string(), attributes: z.unknown().optional() });

export const playerAttributes = z.object({
  name: z.string(),
  createdAt: isoDate.nullish(),
  updatedAt: isoDate.nullish(),
  private: z.boolean().nullish(),
});

export const playerResource = z.object({ type: z.literal("player"), id, attributes: playerAttributes });
export type PlayerResource = z.infer<typeof playerResource>;

export const identifierResource = z.object({
  type: z.literal("identifier"),
  id: z.string(),
  attributes: z.object({
    type: z.string(),
    identifier: z.string(),
    lastSeen: isoDate.nullish(),
    private: z.boolean().nullish(),
  }),
  relationships: z.object({ player: z.object({ data: z.object({ type: z.literal("player"), id }) }).optional() }).optional(),
});
export type IdentifierResource = z.infer<typeof identifierResource>;

export const serverList = z.object({ data: z.array(serverResource), links });

/** GET /servers/{id}?include=player: the server, and who is online in `included`. */
export const serverWithPlayers = z.object({ data: serverResource, included: z.array(includedItem).nullish() });

export const playerList = z.object({ data: z.array(playerResource), links });

/** GET /players/{id}?include=identifier */
export const playerWithIdentifiers = z.object({ data: playerResource, included: z.array(includedItem).nullish() });

export const sessionResource = z.object({
  type: z.literal("session"),
  id: z.string(),
  attributes: z.object({ start: isoDate, stop: isoDate.nullish(), name: z.string().nullish() }),
});
export const sessionList = z.object({ data: z.array(sessionResource), links });

/** POST /players/quick-match */
export const quickMatch = z.object({ data: z.array(identifierResource) });

/** The `included` items of one type, each validated (one bad item makes the document malformed). */
export function includedOf<T>(included: readonly z.infer<typeof includedItem>[] | null | undefined, type: string, schema: z.ZodType<T>): T[] | undefined {
  const out: T[] = [];
  for (const item of included ?? []) {
    if (item.type !== type) continue;
    const parsed = schema.safeParse(item);
    if (!parsed.success) return undefined;
    out.push(parsed.data);
  }
  return out;
}
