// The playground page's JSON API: what the demo user's Discord client sends (commands, autocomplete, component
// presses, modal submits, messages) and what the game panel does in the simulated world. Every body is checked
// with zod first: bad input gets 400 with a message for the page and changes nothing.
import express, { type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { Logger } from "../logger.ts";
import { gameAction, GameActionError, type DemoWorld } from "./demo-world-types.ts";
import type { DiscordView } from "./discord-view.ts";
import { PlaygroundError } from "./playground-errors.ts";

const snowflake = z.string().regex(/^\d{5,20}$/, "must be a Discord id");
const commandName = z.string().regex(/^[-_\p{L}\p{N}]{1,32}$/u, "must be a command's name");
const subcommand = z.string().regex(/^[-_\p{L}\p{N}]{1,32}( [-_\p{L}\p{N}]{1,32})?$/u, "must be a subcommand, or a group and a subcommand").optional();
const optionValues = z.record(z.string().max(32), z.union([z.string().max(6_000), z.number(), z.boolean()]));

export const commandBody = z.strictObject({ channelId: snowflake, name: commandName, subcommand, options: optionValues.optional() });
export const autocompleteBody = z.strictObject({ channelId: snowflake, name: commandName, subcommand, options: optionValues, focused: z.string().min(1).max(32) });
export const componentBody = z.strictObject({
  messageId: snowflake, customId: z.string().min(1).max(100), values: z.array(z.string().max(100)).max(25).optional(),
});
export const modalBody = z.strictObject({ customId: z.string().min(1).max(100), fields: z.record(z.string().max(100), z.string().max(4_000)) });
export const messageBody = z.strictObject({ channelId: snowflake, content: z.string().trim().min(1, "write something").max(2_000, "at most 2000 characters") });

/** "field: what is wrong; …", the first few issues of a failed parse. */
function describe(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** The body parsed by `schema`; a 400 PlaygroundError saying what is wrong otherwise. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new PlaygroundError(400, describe(parsed.error));
  return parsed.data;
}

export function playgroundApi(view: DiscordView, world: DemoWorld): express.Router {
  const api = express.Router();
  // Without this, a form or text body reaches the checks as no body at all ("channelId: … received undefined").
  api.post(/.*/, (req, _res, next) => next(req.is("application/json") ? undefined : new PlaygroundError(415, "Send the body as JSON (content-type: application/json).")));
  api.get("/state", (_req, res) => void res.json({ discord: view.snapshot(), world: world.view() }));
  api.post("/command", async (req, res) => void res.json(await view.command(parseBody(commandBody, req.body))));
  api.post("/autocomplete", async (req, res) => void res.json({ choices: await view.autocomplete(parseBody(autocompleteBody, req.body)) }));
  api.post("/component", async (req, res) => void res.json(await view.component(parseBody(componentBody, req.body))));
  api.post("/modal", async (req, res) => void res.json(await view.modal(parseBody(modalBody, req.body))));
  api.post("/message", (req, res) => void res.json({ message: view.say(parseBody(messageBody, req.body)) }));
  api.post("/game", async (req, res) => void res.json(await world.act(parseBody(gameAction, req.body))));
  return api;
}

/** Whether `text` parses as JSON (express.json's strict mode refuses a valid `null`, `"text"` or `1` as well). */
function isJson(text: unknown): boolean {
  try {
    return typeof text === "string" && (JSON.parse(text), true);
  } catch {
    return false;
  }
}

/** JSON errors: the refusal's own status and message; a body that is not a JSON object or array is a 400; anything else a 500. */
export function apiErrors(logger: Logger | undefined) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return void res.end();
    if (err instanceof PlaygroundError) return void res.status(err.status).json({ error: err.message });
    if (err instanceof GameActionError) return void res.status(err.status).json({ error: err.message });
    const type = (err as { type?: unknown }).type;
    if (type === "entity.parse.failed") return void res.status(400).json({ error: isJson((err as { body?: unknown }).body) ? "The body must be a JSON object." : "The body is not valid JSON." });
    if (type === "entity.too.large") return void res.status(413).json({ error: "The body is too large." });
    logger?.error({ err, path: req.path }, "playground request failed");
    res.status(500).json({ error: `The playground failed: ${err instanceof Error ? err.message : String(err)}` });
  };
}
