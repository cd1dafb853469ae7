// One look at one Rust+ server as the bot sees it: connect with the real client (through the shared lenient schema),
// ask for info, time, team, map and markers, read each answer with the bot's own schemas, and say why anything failed.
import type RustPlus from "@liamcottle/rustplus.js";
import type { z } from "zod";
import { mapMarker, monument, parseEach } from "../events/schemas.ts";
import { parseTeam } from "../ingame/team.ts";
import type { Logger } from "../logger.ts";
import { rustPlusClient, type ClientFactory } from "./connection.ts";
import { serverInfo, serverTime } from "./responses.ts";
import { rustPlusRoot, shareRustPlusProto, undecodableFrame } from "./shared-proto.ts";

type Client = RustPlus.RustPlusClient;

export interface ProbeTarget {
  ip: string;
  port: number;
  /** 17-digit Steam id, decimal. */ steamId: string;
  /** int32; never printed. */ playerToken: number;
}

/** Why a step failed. */
export type ProbeCause =
  | "connection_refused" | "host_not_found" | "unreachable" | "refused_upgrade" | "socket_error" | "timeout" | "closed"
  | "not_found" | "rate_limit" | "server_error" | "decode_error" | "invalid_answer";

export interface ProbeError { step: string; cause: ProbeCause; message: string }

export interface ProbeReport {
  /** True when every step answered. */ ok: boolean;
  server: string;
  steamId: string;
  info?: unknown;
  time?: unknown;
  team?: unknown;
  map?: unknown;
  markers?: { total: number; byType: Record<string, number> };
  /** Entries the bot leaves out because they fail its checks (a marker, a monument). */ skipped?: string[];
  errors: ProbeError[];
}

export interface ProbeOptions {
  /** For connecting, and for each answer (ms). Default 10 000. */ timeoutMs?: number;
  createClient?: ClientFactory;
}

/** What to do about a cause, printed with it. */
const HINTS: Partial<Record<ProbeCause, string>> = {
  connection_refused: "nothing listens there: check the ip and the Rust+ port (app.port), and that the server is up",
  host_not_found: "the host name does not resolve",
  timeout: "no answer in time: a firewall, a wrong port, or a server too busy to answer",
  refused_upgrade: "something answers HTTP there but refused the Rust+ socket: a wrong port, or the server's connection limit",
  not_found: "the server refuses this Steam id and player token: after a wipe or a revoked pairing, pair the server again in game",
  rate_limit: "the server's request limits are used up by other clients of this IP or player: try again in a minute",
  decode_error: "the server sent a frame that does not decode",
};

class StepError extends Error {
  constructor(readonly kind: ProbeCause, message: string) {
    super(message);
  }
}

/** Connects, asks, disconnects. Never throws: every failure is in `errors` (and `ok` is false then). */
export async function probeServer(target: ProbeTarget, options: ProbeOptions = {}): Promise<ProbeReport> {
  shareRustPlusProto();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const report: ProbeReport = { ok: false, server: `${target.ip}:${target.port}`, steamId: target.steamId, errors: [] };
  const skipped: string[] = [];
  const fail = (step: string, err: unknown) => {
    const cause = err instanceof StepError ? err.kind : "socket_error";
    const hint = HINTS[cause];
    report.errors.push({ step, cause, message: `${err instanceof Error ? err.message : String(err)}${hint ? ` (${hint})` : ""}` });
  };
  let client: Client | undefined;
  try {
    client = (options.createClient ?? rustPlusClient)(target.ip, target.port, target.steamId, target.playerToken);
    const session = new Session(client, timeoutMs);
    await session.connect();
    const log = skippedLog(skipped);
    const steps: Array<[string, () => Promise<void>]> = [
      ["getInfo", async () => void (report.info = checked(serverInfo, (await session.ask({ getInfo: {} })).info))],
      ["getTime", async () => void (report.time = checked(serverTime, (await session.ask({ getTime: {} })).time))],
      ["getTeamInfo", async () => {
        const team = parseTeam((await session.ask({ getTeamInfo: {} })).teamInfo);
        if (!team) throw new StepError("invalid_answer", "the answer holds no team");
        report.team = team;
      }],
      ["getMap", async () => {
        const map = (await session.ask({ getMap: {} })).map;
        if (!map) throw new StepError("invalid_answer", "the answer holds no map");
        const mapSize = (report.info as { mapSize?: number } | undefined)?.mapSize ?? null;
        const monuments = parseEach(monument, map.monuments, log, "monument");
        report.map = { mapSize, width: map.width, height: map.height, oceanMargin: map.oceanMargin, imageBytes: map.jpgImage.length, monuments };
      }],
      ["getMapMarkers", async () => {
        const markers = parseEach(mapMarker, (await session.ask({ getMapMarkers: {} })).mapMarkers?.markers, log, "map marker");
        const byType: Record<string, number> = {};
        for (const m of markers) byType[markerName(m.type)] = (byType[markerName(m.type)] ?? 0) + 1;
        report.markers = { total: markers.length, byType };
      }],
    ];
    for (const [step, run] of steps) {
      try {
        await run();
      } catch (err) {
        fail(step, err);
        // A refused token or a lost socket fails every later step the same way.
        if (err instanceof StepError && ["not_found", "closed", "timeout"].includes(err.kind)) break;
      }
    }
  } catch (err) {
    fail("connect", err);
  } finally {
    try {
      client?.disconnect();
    } catch {
      // Nothing was opened.
    }
  }
  if (skipped.length) report.skipped = skipped;
  report.ok = report.errors.length === 0;
  return report;
}

/** One client's socket: connect() once, then ask() per request; a close fails whatever is waiting. */
class Session {
  readonly #pending = new Set<(err: StepError) => void>();
  readonly #decodeErrors: string[] = [];

  constructor(
    private readonly client: Client,
    private readonly timeoutMs: number,
  ) {
    client.on("message", (message: RustPlus.AppMessage) => {
      const bad = undecodableFrame(message);
      if (bad) this.#decodeErrors.push(`${bad.error.message} (a frame of ${bad.bytes} bytes)`);
    });
  }

  connect(): Promise<void> {
    const { client, timeoutMs } = this;
    return new Promise<void>((resolve, reject) => {
      let lastError: unknown;
      const timer = setTimeout(() => reject(new StepError("timeout", `could not connect within ${timeoutMs} ms`)), timeoutMs);
      // rustplus.js re-emits every socket error: without a listener the process would die.
      client.on("error", (err: unknown) => (lastError = err));
      client.once("connected", () => {
        clearTimeout(timer);
        resolve();
      });
      client.on("disconnected", () => {
        clearTimeout(timer);
        reject(socketError(lastError));
        for (const fail of [...this.#pending]) fail(new StepError("closed", "the server closed the connection"));
      });
      client.connect();
    });
  }

  /** Resolves with the response; rejects with the server's AppError, a decode error, a timeout or the socket's close. */
  ask(data: Record<string, unknown>): Promise<RustPlus.AppResponse> {
    return new Promise((resolve, reject) => {
      const seenBefore = this.#decodeErrors.length;
      const finish = (err: StepError | null, response?: RustPlus.AppResponse) => {
        clearTimeout(timer);
        this.#pending.delete(fail);
        if (err) reject(err);
        else resolve(response!);
      };
      const fail = (err: StepError) => finish(err);
      const timer = setTimeout(() => {
        // An answer that does not decode never reaches its callback: the wait ends here, and the decode error is why.
        const bad = this.#decodeErrors.slice(seenBefore);
        fail(bad.length ? new StepError("decode_error", bad.join("; ")) : new StepError("timeout", `no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#pending.add(fail);
      try {
        this.client.sendRequest(data, (message) => {
          const r = message.response;
          if (!r) finish(new StepError("invalid_answer", "an empty answer"));
          else if (r.error) finish(serverError(String(r.error.error)));
          else finish(null, r);
          return true; // handled: not also a `message` event
        });
      } catch (err) {
        fail(new StepError("closed", `sending failed: ${(err as Error).message}`));
      }
    });
  }
}

function serverError(code: string): StepError {
  const kind = code === "not_found" ? "not_found" : code === "rate_limit" ? "rate_limit" : "server_error";
  return new StepError(kind, `the server answered "${code}"`);
}

/** The cause of a failed WebSocket connection, from the ws/Node error rustplus.js re-emits. */
function socketError(err: unknown): StepError {
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : "the connection closed before it opened";
  if (code === "ECONNREFUSED") return new StepError("connection_refused", message);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new StepError("host_not_found", message);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return new StepError("unreachable", message);
  if (code === "ETIMEDOUT") return new StepError("timeout", message);
  if (message.startsWith("Unexpected server response")) return new StepError("refused_upgrade", message);
  return new StepError("socket_error", message);
}

function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new StepError("invalid_answer", `the answer is not what the bot expects: ${issue?.path.join(".") || "the answer"}: ${issue?.message}`);
}

/** Marker type names from the schema's AppMarkerType; 9 (TravelingVendor) is newer than rustplus.js 2.5.0 (research/rustplus.md). */
function markerName(type: number): string {
  return rustPlusRoot().lookupEnum("rustplus.AppMarkerType").valuesById[type] ?? (type === 9 ? "TravelingVendor" : `type ${type}`);
}

/** A stand-in logger for parseEach: what it would warn about becomes a line of the report. */
function skippedLog(lines: string[]): Logger {
  const warn = (fields: { what?: string; issue?: string; path?: string }) => void lines.push(`${fields.what}: ${fields.path ?? ""} ${fields.issue ?? ""}`.trim());
  return { warn } as unknown as Logger;
}
