// POST /api/device-pairing: the companion tool on a player's PC hands over their push credentials with the
// code from /credentials code, instead of the player pasting them into Discord.
//   request:  JSON { code: "ABCD-EFGH", credentials: <rustplus.config.json as written by fcm-register>, label?: "Desktop" }
//   201       { steamId, expiresAt } — stored encrypted; the bot starts listening (within its sync interval)
//   400/415   a malformed request; 404 the code is unknown, expired or used (one answer for all three);
//   422       the credentials are for another Steam account than the linked one, or have expired.
// Every error is JSON { error: <sentence>, reason: <stable id> }. Logs never carry the code or the credentials.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { UserError } from "../errors.ts";
import { acceptDeviceCredentials } from "../pairing/accept-device-credentials.ts";
import { normalizeDeviceCode } from "../pairing/device-codes.ts";
import { parseConfigObject, type FcmCredentialInput } from "../rustplus/fcm-credentials.ts";
import type { WebDeps } from "./deps.ts";

const CODE_FORMAT = "code must be the 8-character code from /credentials code (like ABCD-EFGH)";
const requestBody = z.object(
  {
    code: z.string(CODE_FORMAT).refine((c) => normalizeDeviceCode(c) !== null, CODE_FORMAT),
    credentials: z.record(z.string(), z.unknown(), "credentials must be the JSON object fcm-register wrote (rustplus.config.json)"),
    label: z
      .string("label must be text")
      .trim()
      .min(1, "label must not be empty")
      .max(64, "label must be at most 64 characters")
      .regex(/^[^\p{C}]+$/u, "label must be plain text")
      .optional(),
  },
  "the body must be a JSON object with code and credentials",
);

const CODE_REJECTED = "This code is invalid, expired or already used. Run /credentials code in Discord for a new one.";

function reject(req: Request, res: Response, status: number, reason: string, error: string): void {
  req.log.warn({ outcome: "rejected", reason }, "device pairing");
  res.status(status).json({ error, reason });
}

export function devicePairing(deps: WebDeps): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (!deps.secrets) return void reject(req, res, 503, "unavailable", "Device pairing is not available on this server.");
    if (!req.is("application/json")) return void reject(req, res, 415, "invalid_request", "Send the request as JSON (Content-Type: application/json).");
    const body = requestBody.safeParse(req.body);
    if (!body.success) {
      return void reject(req, res, 400, "invalid_request", `Bad request: ${body.error.issues[0]?.message ?? "unreadable body"}.`);
    }
    let credentials: FcmCredentialInput;
    try {
      credentials = parseConfigObject(body.data.credentials);
    } catch (err) {
      if (err instanceof UserError) return void reject(req, res, 400, "invalid_credentials", err.message);
      throw err;
    }
    const result = await acceptDeviceCredentials(deps.prisma, deps.secrets, { code: body.data.code, credentials, label: body.data.label });
    if (!result.ok) {
      if (result.reason === "invalid-code") return void reject(req, res, 404, "invalid_code", CODE_REJECTED);
      if (result.reason === "credentials-expired") return void reject(req, res, 422, "credentials_expired", "These credentials have already expired: run fcm-register again.");
      return void reject(req, res, 422, "steam_account_mismatch", "These credentials belong to a different Steam account than the one linked with /link. Register with the linked account, then send them again.");
    }
    req.log.info({ outcome: "paired", userId: result.userId }, "device pairing");
    res.status(201).json({ steamId: result.credential.steamId, expiresAt: result.credential.expiresAt?.toISOString() ?? null });
    // In the bot's own process the listener starts at once; elsewhere the bot's periodic sync picks it up.
    await Promise.resolve(deps.credentialsSaved?.(result.userId)).catch((err: unknown) => req.log.warn({ err }, "starting the push listener failed"));
  });
  return router;
}
