// A fake Steam OpenID 2.0 provider on 127.0.0.1 (endpoint http://127.0.0.1:PORT/openid/login).
// - GET checkid_setup: a sign-in page, or (with autoApprove set) the 302 back to return_to that Steam sends.
// - approve(loginUrl, steamId) / cancel(loginUrl): the callback URL Steam would redirect the browser to.
// - POST check_authentication: is_valid:true only for an assertion this fake issued, with every signed field
//   unchanged, a signature that checks out with its association's secret, and a nonce not checked before.
// Assertions are signed with HMAC-SHA256 over OpenID's key-value form, one association (handle + secret)
// per assertion.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const OPENID_NS = "http://specs.openid.net/auth/2.0";
const IDENTIFIER_SELECT = "http://specs.openid.net/auth/2.0/identifier_select";
/** Steam's order. */
const SIGNED = ["signed", "op_endpoint", "claimed_id", "identity", "return_to", "response_nonce", "assoc_handle"];

/** How check_authentication misbehaves, for the provider-failure paths. */
export type CheckFailure = "none" | "reset" | "status-500" | "redirect" | "huge";

interface Issued {
  fields: Map<string, string>;
}

export class FakeSteam {
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  readonly #associations = new Map<string, Buffer>();
  readonly #issued = new Map<string, Issued>();
  readonly #checkedNonces = new Set<string>();
  #endpoint = "";
  /** check_authentication calls, and what each answered. */
  readonly checkResults: boolean[] = [];
  /** Real Steam refuses to confirm a nonce twice; turn off to prove the relying party's own nonce store. */
  rememberCheckedNonces = true;
  checkFailure: CheckFailure = "none";
  /** When set, GET checkid_setup answers with the redirect for this Steam id (a user who signs in at once). */
  autoApprove: string | null = null;

  static async start(): Promise<FakeSteam> {
    const fake = new FakeSteam();
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.#endpoint = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}/openid/login`;
    return fake;
  }

  get endpoint(): string {
    return this.#endpoint;
  }

  get checks(): number {
    return this.checkResults.length;
  }

  reset(): void {
    this.checkResults.length = 0;
    this.rememberCheckedNonces = true;
    this.checkFailure = "none";
    this.autoApprove = null;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The callback URL (return_to plus the signed id_res fields) for a user who signed in as `steamId`. */
  approve(loginUrl: string, steamId: string, options: { issuedAt?: Date } = {}): string {
    const request = this.#loginRequest(loginUrl);
    const handle = `assoc-${randomBytes(8).toString("hex")}`;
    const secret = randomBytes(32);
    this.#associations.set(handle, secret);
    const timestamp = (options.issuedAt ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
    const nonce = `${timestamp}${randomBytes(6).toString("hex")}`;
    const claimedId = `https://steamcommunity.com/openid/id/${steamId}`;
    const fields = new Map<string, string>([
      ["ns", OPENID_NS],
      ["mode", "id_res"],
      ["op_endpoint", this.#endpoint],
      ["claimed_id", claimedId],
      ["identity", claimedId],
      ["return_to", request.returnTo],
      ["response_nonce", nonce],
      ["assoc_handle", handle],
      ["signed", SIGNED.join(",")],
    ]);
    fields.set("sig", sign(secret, SIGNED, (field) => fields.get(field)));
    this.#issued.set(nonce, { fields });
    return withParams(request.returnTo, fields);
  }

  /** The callback URL for a user who pressed cancel at Steam. */
  cancel(loginUrl: string): string {
    const request = this.#loginRequest(loginUrl);
    return withParams(request.returnTo, new Map([["ns", OPENID_NS], ["mode", "cancel"]]));
  }

  /** Validates a checkid_setup URL the way Steam does before showing its sign-in page. */
  #loginRequest(loginUrl: string): { returnTo: string; realm: string } {
    const url = new URL(loginUrl);
    if (url.origin + url.pathname !== this.#endpoint) throw new Error(`not this provider's endpoint: ${url.origin}${url.pathname}`);
    const get = (field: string) => url.searchParams.getAll(`openid.${field}`);
    const one = (field: string): string => {
      const values = get(field);
      if (values.length !== 1) throw new Error(`openid.${field} must occur once`);
      return values[0]!;
    };
    if (one("ns") !== OPENID_NS) throw new Error("wrong openid.ns");
    if (one("mode") !== "checkid_setup") throw new Error("openid.mode must be checkid_setup");
    if (one("claimed_id") !== IDENTIFIER_SELECT || one("identity") !== IDENTIFIER_SELECT) throw new Error("claimed_id/identity must be identifier_select");
    const returnTo = one("return_to");
    const realm = one("realm");
    if (!realmMatches(realm, returnTo)) throw new Error("return_to is not under realm");
    return { returnTo, realm };
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.#endpoint);
    if (url.pathname !== "/openid/login") return void response.writeHead(404).end();
    if (request.method === "GET") {
      let location: string | undefined;
      try {
        location = this.autoApprove === null ? undefined : this.approve(url.href, this.autoApprove);
        if (location === undefined) this.#loginRequest(url.href);
      } catch (error) {
        return void response.writeHead(400, { "content-type": "text/plain" }).end((error as Error).message);
      }
      if (location !== undefined) return void response.writeHead(302, { location }).end();
      return void response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Sign in through Steam</title>");
    }
    if (request.method !== "POST") return void response.writeHead(405).end();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    if (body.get("openid.mode") !== "check_authentication" || !String(request.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
      return void response.writeHead(400, { "content-type": "text/plain" }).end(`ns:${OPENID_NS}\nerror:unsupported request\n`);
    }
    switch (this.checkFailure) {
      case "reset":
        this.checkResults.push(false);
        return void request.socket.destroy();
      case "status-500":
        this.checkResults.push(false);
        return void response.writeHead(500).end();
      case "redirect":
        // A provider that bounces the check elsewhere (to the same answer): the relying party must not follow.
        this.checkResults.push(false);
        return void response.writeHead(307, { location: this.#endpoint }).end();
      case "huge":
        this.checkResults.push(false);
        return void response.writeHead(200, { "content-type": "text/plain" }).end(`is_valid:true\n${"x".repeat(100_000)}`);
      case "none":
        break;
    }
    const valid = this.#check(body);
    this.checkResults.push(valid);
    response.writeHead(200, { "content-type": "text/plain" }).end(`ns:${OPENID_NS}\nis_valid:${valid}\n`);
  }

  #check(body: URLSearchParams): boolean {
    for (const key of new Set(body.keys())) if (body.getAll(key).length !== 1) return false;
    const get = (field: string) => body.get(`openid.${field}`) ?? undefined;
    const secret = this.#associations.get(get("assoc_handle") ?? "");
    const nonce = get("response_nonce") ?? "";
    const issued = this.#issued.get(nonce);
    const signed = (get("signed") ?? "").split(",");
    const sig = get("sig");
    if (!secret || !issued || sig === undefined) return false;
    if (signed.join(",") !== issued.fields.get("signed")) return false;
    for (const field of signed) if (get(field) !== issued.fields.get(field)) return false;
    const expected = Buffer.from(sign(secret, signed, get));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    if (this.rememberCheckedNonces && this.#checkedNonces.has(nonce)) return false;
    this.#checkedNonces.add(nonce);
    return true;
  }
}

function sign(secret: Buffer, signed: string[], get: (field: string) => string | undefined): string {
  const keyValueForm = signed.map((field) => `${field}:${get(field) ?? ""}\n`).join("");
  return createHmac("sha256", secret).update(keyValueForm).digest("base64");
}

function withParams(returnTo: string, fields: Map<string, string>): string {
  const url = new URL(returnTo);
  for (const [field, value] of fields) url.searchParams.append(`openid.${field}`, value);
  return url.href;
}

/** OpenID 2.0 §9.2 realm matching, without wildcards: same scheme, host and port, and a path prefix. */
function realmMatches(realm: string, returnTo: string): boolean {
  const r = new URL(realm);
  const t = new URL(returnTo);
  const path = r.pathname.endsWith("/") ? r.pathname : `${r.pathname}/`;
  return r.origin === t.origin && (t.pathname === r.pathname || t.pathname.startsWith(path)) && r.search === "" && r.hash === "";
}
