// What `npx @liamcottle/rustplus.js fcm-register` produces, as a player hands it over: the whole
// rustplus.config.json pasted, or its fields typed in. The Rust+ auth token inside the file carries the
// Steam id and the token's issue and expiry times, so a paste needs nothing else.
import { z } from "zod";
import { UserError } from "../errors.ts";

export interface FcmCredentialInput {
  androidId: string;
  securityToken: string;
  steamId: string;
  issuedAt: Date | null;
  expiresAt: Date | null;
  /** The Rust+ auth token, when pasted with the file. */
  authToken?: string;
}

const digits = (label: string) => z.coerce.string().regex(/^\d{5,25}$/, `${label} must be the number from the fcm_credentials.gcm section`);
const steamId = z.string().regex(/^7656\d{13}$/, "the Steam id must be 17 digits (7656…)");

const configFile = z.object({
  fcm_credentials: z.object({ gcm: z.object({ androidId: digits("androidId"), securityToken: digits("securityToken") }) }),
  rustplus_auth_token: z.string().max(4_000).optional(),
});

const tokenPayload = z.object({ steamId: z.coerce.string(), iss: z.number().optional(), exp: z.number().optional() });

/** The Rust+ auth token is `<base64 JSON payload>.<signature>`; read its payload without trusting it. */
export function readAuthToken(token: string): { steamId: string; issuedAt: Date | null; expiresAt: Date | null } | null {
  for (const part of token.split(".")) {
    try {
      const payload = tokenPayload.safeParse(JSON.parse(Buffer.from(part, "base64url").toString("utf8")));
      if (payload.success && steamId.safeParse(payload.data.steamId).success) {
        const at = (s: number | undefined) => (s === undefined ? null : new Date(s * 1000));
        return { steamId: payload.data.steamId, issuedAt: at(payload.data.iss), expiresAt: at(payload.data.exp) };
      }
    } catch {
      // Not this part.
    }
  }
  return null;
}

function problem(error: z.ZodError): never {
  throw new UserError(`Those credentials don't look right: ${error.issues[0]?.message ?? "unreadable"}.`);
}

export function parsePastedConfig(text: string): FcmCredentialInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError("That is not the JSON file `fcm-register` wrote (rustplus.config.json). Paste the whole file, or fill in the fields instead.");
  }
  return parseConfigObject(json);
}

/** The file's content already parsed as JSON (the companion tool sends it as an object). */
export function parseConfigObject(json: unknown): FcmCredentialInput {
  const parsed = configFile.safeParse(json);
  if (!parsed.success) problem(parsed.error);
  const token = parsed.data.rustplus_auth_token;
  const claims = token ? readAuthToken(token) : null;
  if (!claims) throw new UserError("The file has no readable `rustplus_auth_token`: run `fcm-register` again, or fill in the fields instead.");
  return { androidId: parsed.data.fcm_credentials.gcm.androidId, securityToken: parsed.data.fcm_credentials.gcm.securityToken, ...claims, ...(token && { authToken: token }) };
}

const fields = z.object({
  androidId: digits("Android id"),
  securityToken: digits("Security token"),
  steamId,
  expiresAt: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "the expiry must be a date like 2026-12-07")
    .transform((d) => new Date(`${d}T00:00:00Z`))
    .refine((d) => !Number.isNaN(d.getTime()), "the expiry is not a real date")
    .optional(),
});

export function parseCredentialFields(input: { androidId: string; securityToken: string; steamId: string; expiresAt?: string }): FcmCredentialInput {
  const parsed = fields.safeParse(input);
  if (!parsed.success) problem(parsed.error);
  return { androidId: parsed.data.androidId, securityToken: parsed.data.securityToken, steamId: parsed.data.steamId, issuedAt: null, expiresAt: parsed.data.expiresAt ?? null };
}
