import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RestError, unauthorized } from "./errors.ts";
import { GlobalLimit } from "./global-limit.ts";
import type { UploadedFile } from "./state.ts";
import type { FakeOAuth2 } from "./oauth2.ts";
import { Log } from "./waitable.ts";

export interface RestCall {
  method: string; /** Decoded, without /api/v10 and the query: "/channels/123/messages". */ path: string;
  /** Ids as ":id", interaction/webhook tokens as ":token": "/channels/:id/messages". */ route: string;
  query: string; /** Parsed JSON, or multipart's payload_json. */ body: unknown; files: { name: string; size: number }[]; status: number; at: number;
  /** Names of the request's headers, lowercase. */ headerNames: string[];
}
export interface FailRule {
  method?: string; /** Matched against the call's route or path. */ route: string | RegExp; status: 429 | 500 | 502 | 503;
  /** Seconds, may be fractional (default 0.05); sent as is in Retry-After too. */ retryAfter?: number; global?: boolean; times?: number;
}
/** Like a crash between Discord's commit and its answer reaching the client. */
export interface HangRule { method?: string; route: string | RegExp; times?: number }
function matches(rule: HangRule, method: string, route: string, path: string): boolean {
  return (rule.method ?? method).toUpperCase() === method &&
    (typeof rule.route === "string" ? rule.route === route || rule.route === path : rule.route.test(route) || rule.route.test(path));
}
export interface RestRequest { method: string; path: string; route: string; params: string[]; query: URLSearchParams; body: unknown; files: UploadedFile[] }
/** A non-200 answer from a route handler; a handler's plain return value is sent as 200 JSON. */
export class Reply {
  constructor(readonly status: number, readonly body?: unknown) {}
}
export type Routes = Record<string, (request: RestRequest) => unknown>; // key: "POST /channels/:id/messages"

const invalidJson = Symbol("invalid JSON");

/** For a decoded path: ids become ":id", the token after /interactions/:id/ or /webhooks/:id/ becomes ":token". */
export function routeOf(path: string): { route: string; params: string[] } {
  const segments = path.split("/").slice(1);
  const params: string[] = [];
  const route = segments.map((segment, i) => {
    const isToken = i === 2 && (segments[0] === "interactions" || segments[0] === "webhooks");
    if (!isToken && !/^\d{5,}$/.test(segment)) return segment;
    params.push(segment);
    return isToken ? ":token" : ":id";
  });
  return { route: `/${route.join("/")}`, params };
}

/** HTTP half of the fake: auth, scripted failures, rate-limit headers, JSON and multipart bodies, a log of calls. */
export class RestServer {
  readonly calls = new Log<RestCall>();
  readonly server = createServer((request, response) => void this.#handle(request, response));
  readonly #rules: (FailRule & { left: number })[] = [];
  readonly #hangs: (HangRule & { left: number })[] = [];

  /** Discord's global limit, per token (global-limit.ts). */
  readonly globalLimit: GlobalLimit;

  /** `globalRequestsPerSecond`: null turns the global limit off. */
  constructor(private readonly token: string, private readonly routes: Routes, private readonly oauth?: FakeOAuth2, globalRequestsPerSecond: number | null = 50) {
    this.globalLimit = new GlobalLimit(globalRequestsPerSecond);
  }

  failNext(rule: FailRule): void {
    this.#rules.push({ ...rule, left: rule.times ?? 1 });
  }

  /** The next matching requests take effect, then get no answer at all (logged with status 0). */
  hangNext(rule: HangRule): void {
    this.#hangs.push({ ...rule, left: rule.times ?? 1 });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const bare = url.pathname.replace(/^\/api(\/v\d+)?/, "");
    const oauth = this.oauth?.handle(request.method ?? "GET", bare, request.headers.authorization, request.headers["content-type"] ?? "", Buffer.concat(chunks));
    if (oauth) {
      response.writeHead(oauth.status, { "content-type": "application/json", ...oauth.headers }).end(oauth.body === undefined ? undefined : JSON.stringify(oauth.body));
      return;
    }
    const { body, files } = await parseBody(request.headers["content-type"] ?? "", Buffer.concat(chunks)).catch(() => ({ body: invalidJson, files: [] }));
    const method = request.method ?? "GET";
    const path = url.pathname.replace(/^\/api(\/v\d+)?/, "").split("/").map(decodeURIComponent).join("/");
    const { route, params } = routeOf(path);
    const headerNames = Object.keys(request.headers);
    const bucket = createHash("sha1").update(`${method} ${route}`).digest("hex").slice(0, 16);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
      const text = payload === undefined || status === 204 ? undefined : typeof payload === "string" ? payload : JSON.stringify(payload);
      const type = text === undefined ? {} : { "content-type": typeof payload === "string" ? "text/plain" : "application/json" };
      response.writeHead(status, { "x-ratelimit-bucket": bucket, ...type, ...headers }).end(text);
      this.calls.push({ method, path, route, query: url.search, body, files: files.map(({ name, size }) => ({ name, size })), status, at: Date.now(), headerNames });
    };
    const viaToken = route.startsWith("/interactions/") || route.startsWith("/webhooks/"); // discord.js sends these without auth
    // Counted when it arrives, as Discord does, before anything else about it is looked at.
    const limited = this.globalLimit.check(request.headers.authorization ?? request.socket.remoteAddress ?? "", viaToken);
    if (limited) return send(limited.status, limited.body, limited.headers);
    const rule = this.#rules.find((r) => matches(r, method, route, path));
    if (rule) {
      if (--rule.left === 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
      if (rule.status !== 429) return send(rule.status, `fake: scripted ${rule.status}`);
      const retryAfter = rule.retryAfter ?? 0.05;
      return send(429, { message: "You are being rate limited.", retry_after: retryAfter, global: rule.global === true }, {
        "retry-after": String(retryAfter), "x-ratelimit-scope": rule.global ? "global" : "user", "x-ratelimit-limit": "5",
        "x-ratelimit-remaining": "0", "x-ratelimit-reset-after": String(retryAfter), ...(rule.global ? { "x-ratelimit-global": "true" } : {}),
      });
    }
    const limits = {
      "x-ratelimit-limit": "50", "x-ratelimit-remaining": "49", "x-ratelimit-reset-after": "1.000",
      "x-ratelimit-reset": ((Date.now() + 1000) / 1000).toFixed(3),
    };
    try {
      if (!viaToken && request.headers.authorization !== `Bot ${this.token}`) throw unauthorized();
      if (body === invalidJson) throw new RestError(400, { message: "The request body contains invalid JSON.", code: 50109 });
      const handler = this.routes[`${method} ${route}`];
      if (!handler) return send(404, { message: "404: Not Found", code: 0 }, limits);
      const result = await handler({ method, path, route, params, query: url.searchParams, body, files });
      const hang = this.#hangs.find((r) => matches(r, method, route, path));
      if (hang) {
        if (--hang.left === 0) this.#hangs.splice(this.#hangs.indexOf(hang), 1);
        this.calls.push({ method, path, route, query: url.search, body, files: files.map(({ name, size }) => ({ name, size })), status: 0, at: Date.now(), headerNames });
        return;
      }
      if (result instanceof Reply) send(result.status, result.body, limits);
      else send(200, result, limits);
    } catch (error) {
      if (error instanceof RestError) send(error.status, error.body, limits);
      else send(500, { message: `fake: ${error instanceof Error ? error.stack : String(error)}`, code: 0 });
    }
  }
}

async function parseBody(contentType: string, raw: Buffer): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (!contentType.startsWith("multipart/form-data")) return { body: JSON.parse(raw.toString()) as unknown, files: [] };
  const form = await new Request("http://fake/", { method: "POST", headers: { "content-type": contentType }, body: raw }).formData();
  const files: UploadedFile[] = [];
  let body: unknown;
  for (const [key, value] of form) {
    if (typeof value !== "string") files.push({ name: value.name, size: value.size, contentType: value.type, data: new Uint8Array(await value.arrayBuffer()) });
    else if (key === "payload_json") body = JSON.parse(value) as unknown;
  }
  return { body, files };
}
