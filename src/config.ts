// The environment, parsed once into a typed object. Every variable is documented in .env.example.
import { z } from "zod";

const STEAM_ID = /^7656\d{13}$/;
const SNOWFLAKE = /^\d{17,20}$/;

const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).optional());
const optionalUrl = (protocols: RegExp, what: string) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.url({ protocol: protocols, error: `must be ${what}` }).optional(),
  );
const port = (fallback: number) =>
  z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(fallback);
const list = (item: RegExp, message: string) =>
  z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(item, message)));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  DISCORD_TOKEN: optionalText.refine((v) => v === undefined || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(v), {
    error: "does not look like a bot token (three dot-separated parts, from the Bot page of your application)",
  }),
  DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || SNOWFLAKE.test(v), {
    error: "must be the application's numeric id",
  }),
  DISCORD_REST_URL: optionalUrl(/^https?$/, "an http(s) URL").default("https://discord.com/api"),
  // "auto" asks Discord for the recommended count (single process only); a fleet sets the total explicitly.
  DISCORD_SHARD_COUNT: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(10_000)], {
    error: 'must be "auto" or a whole number of shards',
  }).default("auto"),
  // The shards this process (or machine) runs, e.g. "0,1,2" or "0-7"; empty means all of them.
  DISCORD_SHARD_IDS: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const ids: number[] = [];
      for (const part of v.split(",").map((s) => s.trim()).filter(Boolean)) {
        const range = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!range) {
          ctx.addIssue({ code: "custom", message: 'must be shard ids like "0,1,2" or "0-7"' });
          return z.NEVER;
        }
        const from = Number(range[1]);
        const to = range[2] === undefined ? from : Number(range[2]);
        for (let id = from; id <= to; id++) ids.push(id);
      }
      return ids;
    }),

  // Pause between starting shard processes under start:sharded (Discord allows one identify per 5 s per bucket).
  DISCORD_SHARD_SPAWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5_500),

  DATABASE_URL: optionalUrl(/^postgres(ql)?$/, "a postgresql:// URL"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().trim().min(1).default("./data"),

  PUBLIC_BASE_URL: optionalUrl(/^https?$/, "an http(s) URL").default("http://localhost:3000"),
  WEB_PORT: port(3000),

  CREDS_ENCRYPTION_KEY: optionalText,
  CREDS_ENCRYPTION_OLD_KEYS: optionalText,

  STRIPE_SECRET_KEY: optionalText.refine((v) => v === undefined || /^(sk|rk)_(test|live)_\w+$/.test(v), {
    error: "must be a Stripe secret key (sk_test_… or sk_live_…)",
  }),
  STRIPE_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || v.startsWith("whsec_"), {
    error: "must be a webhook signing secret (whsec_…)",
  }),
  STEAM_OPENID_ENDPOINT: optionalUrl(/^https?$/, "an http(s) URL").default("https://steamcommunity.com/openid/login"),
  BATTLEMETRICS_TOKEN: optionalText,
  ADMIN_STEAM_IDS: list(STEAM_ID, "must be 17-digit Steam ids (7656…), comma-separated"),
});

export type Config = z.infer<typeof schema>;

// Checks across variables.
const checked = schema.superRefine((c, ctx) => {
  if (c.DISCORD_SHARD_IDS.length > 0) {
    if (c.DISCORD_SHARD_COUNT === "auto") {
      ctx.addIssue({ code: "custom", path: ["DISCORD_SHARD_IDS"], message: "needs DISCORD_SHARD_COUNT set to the fleet's total" });
    } else if (c.DISCORD_SHARD_IDS.some((id) => id >= (c.DISCORD_SHARD_COUNT as number))) {
      ctx.addIssue({ code: "custom", path: ["DISCORD_SHARD_IDS"], message: `must be below DISCORD_SHARD_COUNT (${c.DISCORD_SHARD_COUNT})` });
    }
  }
});

/** Never echoed back in error messages. */
const SECRET = /TOKEN|KEY|SECRET|DATABASE_URL/;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** Parses an environment; throws ConfigError with one readable line per problem. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = checked.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const value = env[name];
      const shown = value === undefined || SECRET.test(name) ? "" : ` (got ${JSON.stringify(value)})`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

let loaded: Config | undefined;

/** The process's configuration: `.env` (if present) under the real environment, parsed once. */
export async function loadConfig(): Promise<Config> {
  if (loaded) return loaded;
  const { config } = await import("dotenv");
  config({ quiet: true });
  loaded = parseConfig(process.env);
  return loaded;
}
