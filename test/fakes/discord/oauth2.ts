// Discord's OAuth2 authorization code grant, as far as `identify` needs it. Modelled on Discord's published
// metadata (https://discord.com/.well-known/oauth-authorization-server: authorize at /api/oauth2/authorize,
// token at /api/oauth2/token with client_secret_basic or client_secret_post, response type "code") and its
// OAuth2 docs (token answer: access_token, token_type "Bearer", expires_in, refresh_token, scope; the user
// from GET /users/@me with "Authorization: Bearer"; refusals as RFC 6749 errors: invalid_grant, invalid_client).
import { randomBytes } from "node:crypto";
import type { APIUser } from "discord-api-types/v10";

export interface OAuthAnswer { status: number; body?: unknown; headers?: Record<string, string> }

interface Grant { user: APIUser; redirectUri: string; scopes: string[]; expiresAt: number }

const CODE_TTL_MS = 10 * 60_000;

export class FakeOAuth2 {
  /** The application's client secret (set it as DISCORD_CLIENT_SECRET). */
  readonly clientSecret = randomBytes(16).toString("hex");
  readonly #codes = new Map<string, Grant>();
  readonly #tokens = new Map<string, APIUser>();
  /** Token requests answered, successful or not (what the relying party did). */
  tokenRequests = 0;

  constructor(private readonly applicationId: string) {}

  /**
   * The user signs in on the authorize page and presses Authorize: the redirect_uri with `code` and `state`,
   * as Discord sends the browser back. Throws for a request Discord would show an error page for.
   */
  approve(authorizeUrl: string, user: APIUser): string {
    const params = new URL(authorizeUrl).searchParams;
    if (params.get("client_id") !== this.applicationId) throw new Error("fake OAuth2: unknown client_id");
    if (params.get("response_type") !== "code") throw new Error("fake OAuth2: response_type must be code");
    const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
    if (!scopes.includes("identify")) throw new Error("fake OAuth2: scope must include identify");
    const redirectUri = params.get("redirect_uri") ?? raise("redirect_uri missing");
    const code = randomBytes(15).toString("base64url");
    this.#codes.set(code, { user, redirectUri, scopes, expiresAt: Date.now() + CODE_TTL_MS });
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    const state = params.get("state");
    if (state !== null) back.searchParams.set("state", state);
    return back.href;
  }

  /** The user presses Cancel: back to redirect_uri with error=access_denied (RFC 6749 §4.1.2.1). */
  deny(authorizeUrl: string): string {
    const params = new URL(authorizeUrl).searchParams;
    const back = new URL(params.get("redirect_uri") ?? raise("redirect_uri missing"));
    back.searchParams.set("error", "access_denied");
    back.searchParams.set("error_description", "The resource owner or authorization server denied the request");
    const state = params.get("state");
    if (state !== null) back.searchParams.set("state", state);
    return back.href;
  }

  /** POST /oauth2/token and GET /users/@me with a Bearer token; undefined for any other request. */
  handle(method: string, path: string, authorization: string | undefined, contentType: string, raw: Buffer): OAuthAnswer | undefined {
    if (method === "POST" && path === "/oauth2/token") {
      this.tokenRequests++;
      return this.#token(authorization, contentType, raw);
    }
    if (method === "GET" && path === "/users/@me" && authorization?.startsWith("Bearer ")) {
      const user = this.#tokens.get(authorization.slice("Bearer ".length));
      return user ? { status: 200, body: user } : { status: 401, body: { message: "401: Unauthorized", code: 0 } };
    }
    return undefined;
  }

  #token(authorization: string | undefined, contentType: string, raw: Buffer): OAuthAnswer {
    if (!contentType.startsWith("application/x-www-form-urlencoded")) return { status: 400, body: { error: "invalid_request" } };
    const form = new URLSearchParams(raw.toString("utf8"));
    let clientId = form.get("client_id");
    let secret = form.get("client_secret");
    if (authorization?.startsWith("Basic ")) {
      const [id = "", pass = ""] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
      clientId = decodeURIComponent(id);
      secret = decodeURIComponent(pass);
    }
    if (clientId !== this.applicationId || secret !== this.clientSecret) return { status: 401, body: { error: "invalid_client" } };
    if (form.get("grant_type") !== "authorization_code") return { status: 400, body: { error: "unsupported_grant_type" } };
    const code = form.get("code") ?? "";
    const grant = this.#codes.get(code);
    this.#codes.delete(code); // a code is used once
    if (!grant || grant.expiresAt < Date.now() || form.get("redirect_uri") !== grant.redirectUri) {
      return { status: 400, body: { error: "invalid_grant", error_description: 'Invalid "code" in request.' } };
    }
    const accessToken = randomBytes(20).toString("base64url");
    this.#tokens.set(accessToken, grant.user);
    return {
      status: 200,
      body: { access_token: accessToken, token_type: "Bearer", expires_in: 604_800, refresh_token: randomBytes(20).toString("base64url"), scope: grant.scopes.join(" ") },
    };
  }
}

function raise(message: string): never {
  throw new Error(`fake OAuth2: ${message}`);
}
