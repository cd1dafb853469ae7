// Rust+ pushes (FCM data messages) → typed domain events. Every field is a string in the payload; all of
// it is validated here, and anything unknown or malformed is reported as such, never thrown.
import { z } from "zod";
import { withoutControls } from "../bot/control-chars.ts";
import { fitText } from "../bot/fit-text.ts";

const steamId = z.string().regex(/^7656\d{13}$/);
const port = z.coerce.number().int().min(1).max(65_535);
const host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:-]+$/);
/**
 * Text a player or server admin chose (server, device and player names): cut to `max` at a grapheme
 * boundary, never a reason to drop the push. Real hostnames run past 100 characters with emoji.
 */
const text = (max: number) => z.string().transform((s) => outsideText(s, max));
/** Outside text as kept: without control characters (U+0000 cannot be stored; the others show as nothing), trimmed, fitted. */
const outsideText = (s: string, max: number): string => fitText(withoutControls(s).trim(), max);
/** Longest server name kept; Rust hostnames have no documented limit, and Discord titles take 256. */
export const SERVER_NAME_MAX = 256;

/** What every server-related push carries about its server. */
const serverFields = z.object({
  ip: host,
  port,
  name: text(SERVER_NAME_MAX).default(""),
  id: text(100).optional(),
  playerId: steamId.optional(),
  playerToken: z.string().regex(/^-?\d{1,11}$/).refine((v) => Math.abs(Number(v)) <= 2 ** 31, "out of int32 range").optional(),
});

const pairingBody = z.discriminatedUnion("type", [
  serverFields.extend({ type: z.literal("server"), playerId: steamId, playerToken: serverFields.shape.playerToken.unwrap() }),
  serverFields.extend({
    type: z.literal("entity"),
    playerId: steamId,
    playerToken: serverFields.shape.playerToken.unwrap(),
    entityId: z.coerce.number().int().min(0).max(2 ** 32 - 1),
    entityType: z.enum(["1", "2", "3"]),
    entityName: text(100).default(""),
  }),
]);

/**
 * A death push, as the game sends it (rustplusplus src/util/FcmListener.js `playerDeath`: the title is shown,
 * `body.name` is the server's name, `targetId` is tested against ""): the usual server fields, `type: "death"`,
 * and `targetId` = the killer's Steam id, or "" when no player killed (NPC, animal, fall, drowning, radiation,
 * trap, turret, suicide). Anything else there (absent, "0", a number, an NPC's id) just means no player killer.
 */
const deathBody = serverFields.extend({ type: z.literal("death").optional(), targetId: z.unknown().optional() });

const ENTITY_KINDS = { "1": "SWITCH", "2": "ALARM", "3": "STORAGE_MONITOR" } as const;

export type ServerRef = { ip: string; port: number; name: string };

export type PushEvent =
  | { kind: "server-pairing"; server: ServerRef; playerId: string; playerToken: number }
  | { kind: "entity-pairing"; server: ServerRef; playerId: string; playerToken: number; entityId: number; entityKind: "SWITCH" | "ALARM" | "STORAGE_MONITOR"; entityName: string }
  | { kind: "alarm"; server: ServerRef; title: string; message: string }
  | { kind: "raid"; server: ServerRef | null; title: string; message: string }
  /** The player whose credentials received it died; `text` is the game's own sentence ("You were killed by …"). */
  | { kind: "death"; server: ServerRef; text: string; killerSteamId?: string }
  | { kind: "team-login"; server: ServerRef; targetId: string; targetName: string }
  | { kind: "news"; title: string; message: string };

export type ParsedPush = { ok: true; persistentId: string; event: PushEvent } | { ok: false; persistentId: string | null; reason: string };

const envelope = z.object({
  // Stored as the push's receipt: a NUL (which PostgreSQL cannot store) is no id Google gives.
  persistentId: z.string().regex(/^[^\u0000]{1,200}$/),
  appData: z.array(z.object({ key: z.string(), value: z.string() })).max(50),
});

const RAID = /getting raided/i;

function body(data: Map<string, string>): unknown {
  try {
    return JSON.parse(data.get("body") ?? "");
  } catch {
    return undefined;
  }
}

const ref = (s: z.infer<typeof serverFields>): ServerRef => ({ ip: s.ip, port: s.port, name: s.name });

export function parsePush(raw: unknown): ParsedPush {
  const env = envelope.safeParse(raw);
  if (!env.success) {
    const id = (raw as { persistentId?: unknown } | null)?.persistentId;
    return { ok: false, persistentId: typeof id === "string" && /^[^\u0000]{1,200}$/.test(id) ? id : null, reason: "not a push data message" };
  }
  const { persistentId } = env.data;
  const data = new Map(env.data.appData.map((e) => [e.key, e.value]));
  const fail = (reason: string): ParsedPush => ({ ok: false, persistentId, reason });
  const title = outsideText(data.get("title") ?? "", 256);
  const message = outsideText(data.get("message") ?? "", 4_000);

  switch (data.get("channelId")) {
    case "pairing": {
      const parsed = pairingBody.safeParse(body(data));
      if (!parsed.success) return fail(`malformed pairing body: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
      const p = parsed.data;
      if (p.type === "server") return { ok: true, persistentId, event: { kind: "server-pairing", server: ref(p), playerId: p.playerId, playerToken: Number(p.playerToken) } };
      return {
        ok: true,
        persistentId,
        event: { kind: "entity-pairing", server: ref(p), playerId: p.playerId, playerToken: Number(p.playerToken), entityId: p.entityId, entityKind: ENTITY_KINDS[p.entityType], entityName: p.entityName },
      };
    }
    case "alarm": {
      const server = serverFields.safeParse(body(data));
      if (RAID.test(title)) return { ok: true, persistentId, event: { kind: "raid", server: server.success ? ref(server.data) : null, title, message } };
      if (!server.success) return fail("alarm without its server");
      return { ok: true, persistentId, event: { kind: "alarm", server: ref(server.data), title, message } };
    }
    case "player": {
      const parsed = deathBody.safeParse(body(data));
      if (!parsed.success) return fail("malformed death body");
      const killer = steamId.safeParse(parsed.data.targetId);
      const words = title.trim() || (killer.success ? "You were killed by another player." : "You died.");
      return { ok: true, persistentId, event: { kind: "death", server: ref(parsed.data), text: words, ...(killer.success && { killerSteamId: killer.data }) } };
    }
    case "team": {
      const parsed = serverFields.extend({ type: z.literal("login"), targetId: steamId, targetName: text(100).default("") }).safeParse(body(data));
      if (!parsed.success) return fail("malformed team body");
      return { ok: true, persistentId, event: { kind: "team-login", server: ref(parsed.data), targetId: parsed.data.targetId, targetName: parsed.data.targetName } };
    }
    case "news":
      return { ok: true, persistentId, event: { kind: "news", title, message } };
    default:
      return fail(`unknown channel ${JSON.stringify(data.get("channelId") ?? null).slice(0, 40)}`);
  }
}
