// A fake BattleMetrics API on 127.0.0.1 for the real client over the built-in fetch. JSON:API documents shaped
// as public clients read them: servers with attributes.ip, port (game port) and portQuery
// (hizenxyz/battlemetrics-client tests/fixtures/get/servers_filter_game__rust_filter_search__rusty20moose.json),
// online players in `included[]` of type "player" (rustplusplus src/structures/Battlemetrics.js), player
// identifiers of type "steamID"/"name" with lastSeen, sessions, and POST /players/quick-match answering
// identifiers with relationships.player (thegamecracks/abattlemetrics). Collections page with page[size] and
// page[key], linking the next page in links.next. The test can switch on 401, the 403 BattleMetrics has sent
// since July 2026 to tokens without a subscription (rustplusplus issue #536: "Access denied. A subscription is
// required to use the API."), 429 with Retry-After, 5xx, answers held until released, and malformed JSON.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const SUBSCRIPTION_REQUIRED = "Access denied. A subscription is required to use the API.";

export interface FakeCall {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

export interface FakeServerInput {
  id: string;
  name: string;
  ip: string;
  port: number;
  portQuery: number;
  /** BattleMetrics player ids online now. */
  online?: string[];
}

export interface FakePlayerInput {
  id: string;
  name: string;
  createdAt?: string;
  updatedAt?: string;
  steamId?: string;
  /** Earlier names, with when they were last seen. */
  names?: { name: string; lastSeen: string }[];
  sessions?: { start: string; stop: string | null; name: string }[];
  /** Servers (BattleMetrics ids) the player has played on. */
  servers?: string[];
}

type Refusal = { status: 401 | 403; body?: string } | undefined;
interface Injected {
  status: number;
  retryAfter?: string;
  remaining: number;
  body?: string;
}

export class FakeBattleMetrics {
  readonly calls: FakeCall[] = [];
  readonly servers = new Map<string, FakeServerInput>();
  readonly players = new Map<string, FakePlayerInput>();
  /** Every request answers this until cleared (401 wrong token, 403 no subscription). */
  refuse: Refusal;
  readonly #injected: Injected[] = [];
  #hold = 0;
  #malformed: ("not-json" | "wrong-shape")[] = [];
  readonly #held: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
  ) {}

  static async start(options: { token?: string } = {}): Promise<FakeBattleMetrics> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const fake = new FakeBattleMetrics(server, `http://127.0.0.1:${port}`, options.token ?? "bm-test-token");
    server.on("request", (req, res) => void fake.#handle(req, res));
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addServer(input: FakeServerInput): void {
    this.servers.set(input.id, input);
  }

  addPlayer(input: FakePlayerInput): void {
    this.players.set(input.id, input);
  }

  /** The next `times` requests answer `status` (429 with `retryAfter` as given, seconds or an HTTP-date). */
  failNext(status: number, times = 1, options: { retryAfter?: string; body?: string } = {}): void {
    this.#injected.push({ status, remaining: times, ...options });
  }

  /** The next `times` requests get no answer until `release` (or the client gives up). */
  holdNext(times = 1): void {
    this.#hold += times;
  }

  release(): void {
    for (const go of this.#held.splice(0)) go();
  }

  /** The next answer is not JSON, or JSON without the JSON:API shape. */
  malformedNext(kind: "not-json" | "wrong-shape"): void {
    this.#malformed.push(kind);
  }

  callsTo(path: string | RegExp): FakeCall[] {
    return this.calls.filter((c) => (typeof path === "string" ? c.path === path : path.test(c.path)));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const call: FakeCall = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body, status: 0 };
    this.calls.push(call);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
    };
    const error = (status: number, detail: string, headers: Record<string, string> = {}) =>
      send(status, { errors: [{ status: String(status), title: TITLES[status] ?? "Error", detail }] }, headers);

    if (this.#hold > 0) {
      this.#hold--;
      await new Promise<void>((resolve) => {
        this.#held.push(resolve);
        res.on("close", resolve);
      });
      if (res.destroyed) return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return error(401, "Unauthorized");
    if (this.refuse) return this.refuse.body !== undefined ? send(this.refuse.status, this.refuse.body) : error(this.refuse.status, this.refuse.status === 403 ? SUBSCRIPTION_REQUIRED : "Unauthorized");
    const injected = this.#injected[0];
    if (injected) {
      if (--injected.remaining <= 0) this.#injected.shift();
      const headers: Record<string, string> = injected.retryAfter !== undefined ? { "Retry-After": injected.retryAfter } : {};
      return injected.body !== undefined ? (call.status = injected.status, void res.writeHead(injected.status, headers).end(injected.body)) : error(injected.status, TITLES[injected.status] ?? "Error", headers);
    }
    const malformed = this.#malformed.shift();
    if (malformed === "not-json") return send(200, "<html>502 Bad Gateway</html>");
    if (malformed === "wrong-shape") return send(200, { data: { type: "server", id: 12, attributes: "nope" } });

    const route = `${call.method} ${url.pathname}`;
    let m: RegExpExecArray | null;
    if (route === "GET /servers") return send(200, this.#page(url, this.#searchServers(url).map(serverDoc)));
    if ((m = /^GET \/servers\/(\d+)$/.exec(route))) {
      const s = this.servers.get(m[1] ?? "");
      if (!s) return error(404, "Server not found");
      const included = url.searchParams.get("include") === "player" ? (s.online ?? []).flatMap((id) => this.#playerDoc(id) ?? []) : [];
      return send(200, { data: serverDoc(s), included });
    }
    if (route === "GET /players") return send(200, this.#page(url, this.#searchPlayers(url).flatMap((p) => this.#playerDoc(p.id) ?? [])));
    if ((m = /^GET \/players\/(\d+)$/.exec(route))) {
      const p = this.players.get(m[1] ?? "");
      if (!p) return error(404, "Player not found");
      return send(200, { data: this.#playerDoc(p.id), included: url.searchParams.get("include") === "identifier" ? identifiers(p) : [] });
    }
    if ((m = /^GET \/players\/(\d+)\/relationships\/sessions$/.exec(route))) {
      const p = this.players.get(m[1] ?? "");
      if (!p) return error(404, "Player not found");
      return send(200, this.#page(url, (p.sessions ?? []).map((s, i) => ({ type: "session", id: `${p.id}-${i}`, attributes: { start: s.start, stop: s.stop, name: s.name, firstTime: i === 0 } }))));
    }
    if (route === "POST /players/quick-match") {
      const wanted = ((body as { data?: { attributes?: { type?: string; identifier?: string } }[] } | undefined)?.data ?? []).map((d) => d.attributes);
      const data = wanted.flatMap((w) => {
        const p = [...this.players.values()].find((x) => w?.type === "steamID" && x.steamId === w.identifier);
        return p ? [{ type: "identifier", id: `steam-${p.id}`, attributes: { type: "steamID", identifier: p.steamId }, relationships: { player: { data: { type: "player", id: p.id } } } }] : [];
      });
      return send(200, { data });
    }
    return error(404, "Not found");
  }

  #searchServers(url: URL): FakeServerInput[] {
    const term = url.searchParams.get("filter[search]")?.toLowerCase() ?? "";
    if (url.searchParams.get("filter[game]") !== "rust") return [];
    // BattleMetrics' search matches names and addresses.
    return [...this.servers.values()].filter((s) => !term || s.name.toLowerCase().includes(term) || s.ip === term);
  }

  #searchPlayers(url: URL): FakePlayerInput[] {
    const term = url.searchParams.get("filter[search]")?.toLowerCase() ?? "";
    const server = url.searchParams.get("filter[servers]");
    return [...this.players.values()].filter((p) => p.name.toLowerCase().includes(term) && (!server || (p.servers ?? []).includes(server)));
  }

  #playerDoc(id: string) {
    const p = this.players.get(id);
    if (!p) return undefined;
    const at = p.createdAt ?? "2026-01-01T00:00:00.000Z";
    return { type: "player", id: p.id, attributes: { id: p.id, name: p.name, private: false, positiveMatch: false, createdAt: at, updatedAt: p.updatedAt ?? at }, meta: { metadata: [] } };
  }

  /** page[size] (default 10, at most 100) and page[key] (an offset here; opaque to the client). */
  #page(url: URL, all: unknown[]) {
    const size = Math.min(100, Math.max(1, Number(url.searchParams.get("page[size]") ?? 10) || 10));
    const from = Number(url.searchParams.get("page[key]") ?? 0) || 0;
    const data = all.slice(from, from + size);
    const links: { next?: string } = {};
    if (from + size < all.length) {
      const next = new URL(url.pathname, this.url);
      for (const [k, v] of url.searchParams) if (k !== "page[key]" && k !== "page[rel]") next.searchParams.set(k, v);
      next.searchParams.set("page[key]", String(from + size));
      next.searchParams.set("page[rel]", "next");
      links.next = next.href;
    }
    return { data, included: [], links };
  }
}

const TITLES: Record<number, string> = { 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };

function serverDoc(s: FakeServerInput) {
  return {
    type: "server",
    id: s.id,
    attributes: {
      id: s.id,
      name: s.name,
      address: null,
      ip: s.ip,
      port: s.port,
      portQuery: s.portQuery,
      players: (s.online ?? []).length,
      maxPlayers: 200,
      rank: 1,
      status: "online",
      details: { rust_type: "community" },
      private: false,
      country: "DE",
      queryStatus: "valid",
    },
    relationships: { game: { data: { type: "game", id: "rust" } } },
  };
}

function identifiers(p: FakePlayerInput) {
  const out: unknown[] = (p.names ?? []).map((n, i) => ({ type: "identifier", id: `${p.id}-name-${i}`, attributes: { type: "name", identifier: n.name, lastSeen: n.lastSeen, private: false, metadata: null } }));
  if (p.steamId) out.push({ type: "identifier", id: `${p.id}-steam`, attributes: { type: "steamID", identifier: p.steamId, lastSeen: p.updatedAt ?? "2026-01-01T00:00:00.000Z", private: false, metadata: null } });
  return out;
}
