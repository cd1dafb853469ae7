import { RESTJSONErrorCodes as E } from "discord-api-types/v10";

export interface ErrorBody { message: string; code: number; errors?: unknown }

/** Thrown by route handlers; the server answers with `status` and Discord's JSON error body. */
export class RestError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.message);
  }
}

export function raise(error: Error): never {
  throw error;
}

type Unknown = "Channel" | "Message" | "Guild" | "Member" | "User" | "Role" | "Webhook" | "Interaction";
export const unknown = (what: Unknown): RestError => new RestError(404, { message: `Unknown ${what}`, code: E[`Unknown${what}`] });
export const unauthorized = (): RestError => new RestError(401, { message: "401: Unauthorized", code: 0 });
export const missingAccess = (): RestError => new RestError(403, { message: "Missing Access", code: E.MissingAccess });
export const missingPermissions = (): RestError => new RestError(403, { message: "Missing Permissions", code: E.MissingPermissions });
export const alreadyAcknowledged = (): RestError =>
  new RestError(400, { message: "Interaction has already been acknowledged.", code: E.InteractionHasAlreadyBeenAcknowledged });

/** 400 Invalid Form Body with Discord's nested `errors` shape for one field ("0.name" → errors[0].name). */
export function invalidBody(field: string, code: string, message: string): RestError {
  const errors = field.split(".").reduceRight<unknown>((inner, key) => ({ [key]: inner }), { _errors: [{ code, message }] });
  return new RestError(400, { message: "Invalid Form Body", code: E.InvalidFormBodyOrContentType, errors });
}
