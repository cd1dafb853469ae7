// The environment, parsed once into a typed object. Every variable is documented in .env.example.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { z } from "zod";
import { TIERS, tierLimits } from "./billing/tiers.ts";
import { KEY_FORMAT, parseKey } from "./db/crypto.ts";

const STEAM_ID = /^7656\d{13}$/;
const SNOWFLAKE = /^\d{17,20}$/;

const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(1).optional());
const optionalUrl = (protocols: RegExp, what: string) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.url({ protocol: protocols, error: `must be ${what}` }).optional(),
  );
/** A whole number from `min` to `max`; anything else (text, a fraction, out of range) gets this one message. */
const integer = (min: number, max: number, fallback: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message).default(fallback);
};
const port = (fallback: number) =>
  z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be between 0 (any free port) and 65535")
    .max(65535, "must be between 0 (any free port) and 65535")
    .default(fallback);
// A host name as DNS allows it (letters, digits, hyphens, dot-separated labels).
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/** "a.b.c.d" or "local=public": both parts IP addresses. */
function isEgressAddress(v: string): boolean {
  const parts = v.split("=");
  return parts.length <= 2 && parts.every((p) => isIP(p.trim()) !== 0);
}
const list = (item: RegExp, message: string) =>
  z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(item, message)));

// Far above any real bot (Discord recommends one shard per 1,000-2,500 guilds); bounds the shard id lists.
const MAX_SHARDS = 10_000;

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),

  DISCORD_TOKEN: optionalText.refine((v) => v === undefined || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(v), {
    error: "does not look like a bot token (three dot-separated parts, from the Bot page of your application)",
  }),
  DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || SNOWFLAKE.test(v), {
    error: "must be the application's numeric id",
  }),
  DISCORD_REST_URL: optionalUrl(/^https?$/, "an http(s) URL").default("https://discord.com/api"),
  // The application's OAuth2 client secret: when set, the /link page makes the browser sign in to Discord as the
  // account the link was made for before it goes to Steam (scope identify). Never logged.
  DISCORD_CLIENT_SECRET: optionalText,
  // Discord's OAuth2 base (authorize page, token, /users/@me); only tests change it.
  DISCORD_OAUTH_URL: optionalUrl(/^https?$/, "an http(s) URL").default("https://discord.com/api"),
  // "auto" asks Discord for the recommended count (single process only); a fleet sets the total explicitly.
  DISCORD_SHARD_COUNT: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(MAX_SHARDS)], {
    error: 'must be "auto" or a whole number of shards',
  }).default("auto"),
  // The shards this process (or machine) runs, e.g. "0,1,2" or "0-7"; empty means all of them.
  // Kept as ranges here: they are compared with DISCORD_SHARD_COUNT before being expanded (see `checked`).
  DISCORD_SHARD_IDS: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const ranges: [from: number, to: number][] = [];
      for (const part of v.split(",").map((s) => s.trim()).filter(Boolean)) {
        const range = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(part);
        if (!range) {
          ctx.addIssue({ code: "custom", message: 'must be shard ids like "0,1,2" or "0-7"' });
          return z.NEVER;
        }
        const from = Number(range[1]);
        const to = range[2] === undefined ? from : Number(range[2]);
        if (to < from) {
          ctx.addIssue({ code: "custom", message: `has the range "${part}" reversed; write the lower id first ("${to}-${from}")` });
          return z.NEVER;
        }
        ranges.push([from, to]);
      }
      return ranges;
    }),

  // Pause between starting shard processes under start:sharded (Discord allows one identify per 5 s per bucket).
  DISCORD_SHARD_SPAWN_DELAY_MS: integer(0, 60_000, 5_500),

  DATABASE_URL: optionalUrl(/^postgres(ql)?$/, "a postgresql:// URL"),
  DATABASE_POOL_SIZE: integer(1, 200, 10),
  DATA_DIR: z.string().trim().min(1).default("./data"),

  PUBLIC_BASE_URL: optionalUrl(/^https?$/, "an http(s) URL").default("http://localhost:3000"),
  WEB_PORT: port(3000),
  // The address the sidecar listens on: every IPv4 interface by default, "::" for IPv6 too, 127.0.0.1 behind a local proxy.
  WEB_HOST: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .trim()
      .refine((v) => isIP(v) !== 0 || HOST_NAME.test(v), {
        error: 'must be an IP address of this machine (0.0.0.0 for every interface, "::" for IPv6 too) or a host name',
      })
      .default("0.0.0.0"),
  ),
  // Start the web sidecar inside npm start (a fleet may run it on its own with npm run start:web instead).
  WEB_ENABLED: z.enum(["true", "false"], { error: "must be true or false" }).default("true").transform((v) => v === "true"),
  // Proxies in front of the sidecar (load balancer hops), so client IPs for rate limits are right.
  WEB_TRUST_PROXY: integer(0, 10, 0),
  // How long a /link URL stays valid.
  LINK_TOKEN_TTL_MINUTES: integer(1, 60, 10),

  CREDS_ENCRYPTION_KEY: optionalText.refine((v) => v === undefined || isKey(v), { error: KEY_FORMAT }),
  CREDS_ENCRYPTION_OLD_KEYS: optionalText.refine((v) => v === undefined || v.split(",").map((s) => s.trim()).filter(Boolean).every(isKey), {
    error: `each comma-separated key ${KEY_FORMAT}`,
  }),

  STRIPE_SECRET_KEY: optionalText.refine((v) => v === undefined || /^(sk|rk)_(test|live)_\w+$/.test(v), {
    error: "must be a Stripe secret key (sk_test_… or sk_live_…)",
  }),
  STRIPE_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || v.startsWith("whsec_"), {
    error: "must be a webhook signing secret (whsec_…)",
  }),
  // Stripe's API base; only tests point it elsewhere.
  STRIPE_API_URL: optionalUrl(/^https?$/, "an http(s) URL").default("https://api.stripe.com"),
  // Stripe price ids of the paid tiers' subscriptions.
  STRIPE_PRICE_OPERATOR: optionalText,
  STRIPE_PRICE_OVERLORD: optionalText,
  // Credit packs: "<name>:<price id>:<credits>", comma-separated, e.g. "small:price_123:100,large:price_456:600".
  STRIPE_CREDIT_PACKS: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const packs: { name: string; priceId: string; credits: number }[] = [];
      for (const part of v.split(",").map((s) => s.trim()).filter(Boolean)) {
        const problem = (message: string) => {
          ctx.addIssue({ code: "custom", message: `${message} (in "${part}")` });
          return z.NEVER;
        };
        const m = /^([^:]*):([^:]*):([^:]*)$/.exec(part);
        if (!m) return problem('must be "<name>:<price id>:<credits>" entries, comma-separated');
        const [, name = "", priceId = "", credits = ""] = m;
        if (!/^[a-z0-9-]{1,30}$/.test(name)) return problem("a pack name must be 1-30 lowercase letters, digits or hyphens");
        if (!/^price_\w+$/.test(priceId)) return problem("the price id must be a Stripe price id (price_…)");
        if (!/^\d{1,7}$/.test(credits) || Number(credits) < 1) return problem("the credits must be a whole number from 1 to 9999999");
        if (packs.some((p) => p.name === name)) return problem(`the pack name "${name}" is used twice; give each pack its own name`);
        packs.push({ name, priceId, credits: Number(credits) });
      }
      return packs;
    }),
  // Override tier limits: JSON like {"OPERATOR":{"pairedServers":5}} (see src/billing/tiers.ts for the keys).
  TIER_LIMITS: optionalText.transform((v, ctx) => {
    try {
      return tierLimits(v);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
  // Without STRIPE_SECRET_KEY (a self-hosted bot) every user has this tier; ignored when billing is set up.
  SELF_HOSTED_TIER: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() || undefined : v),
    z.enum(TIERS, { error: `must be one of ${TIERS.join(", ")}` }).default("OVERLORD"),
  ),
  STEAM_OPENID_ENDPOINT: optionalUrl(/^https?$/, "an http(s) URL").default("https://steamcommunity.com/openid/login"),
  BATTLEMETRICS_TOKEN: optionalText,
  // BattleMetrics' API base; only tests point it elsewhere.
  BATTLEMETRICS_API_URL: optionalUrl(/^https?$/, "an http(s) URL").default("https://api.battlemetrics.com"),
  // Google's push channel (FCM): the check-in endpoint, the MCS host and port, and a CA certificate file (PEM) to
  // trust instead of the system's. Google's by default; tests (and an operator's relay) point them elsewhere.
  FCM_CHECKIN_URL: optionalUrl(/^https$/, "an https URL").default("https://android.clients.google.com/checkin"),
  FCM_MCS_HOST: z.string().trim().default("mtalk.google.com").refine((v) => isIP(v) !== 0 || HOST_NAME.test(v), { error: "must be an IP address or host name" }),
  FCM_MCS_PORT: integer(1, 65_535, 5228),
  FCM_CA_FILE: optionalText.refine((v) => v === undefined || isPemCertificateFile(v), { error: "must be a readable PEM certificate file" }),
  // How often each followed Rust server is queried for who is online (ms).
  INTEL_POLL_INTERVAL_MS: integer(10_000, 3_600_000, 60_000),
  // Credits a new user starts with, granted in the transaction that creates the user (seed 004).
  INITIAL_CREDITS_FOR_NEW: integer(0, 1_000_000, 20),
  ADMIN_STEAM_IDS: list(STEAM_ID, "must be 17-digit Steam ids (7656…), comma-separated"),

  // ── The fleet (several processes on PostgreSQL) ──
  // Local source addresses this process binds Rust+ sockets to, comma-separated: "10.0.0.5" or, behind NAT,
  // "10.0.0.5=203.0.113.7" (bind the first, counted as the second, the address the Rust server sees).
  // Empty: the system's default route, counted as one address per machine.
  RUSTPLUS_EGRESS_ADDRESSES: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isEgressAddress, 'must be IP addresses, "local" or "local=public", comma-separated'))),
  // Rust+ sockets a Rust server accepts from one address (its app.maxconnectionsperip; Rust's default is 5).
  RUSTPLUS_CONNECTIONS_PER_ADDRESS: integer(1, 1_000, 5),
  // How long a process's hold on a socket or push listener lasts without renewal (ms); renewed every third of it.
  FLEET_LEASE_TTL_MS: integer(1_000, 600_000, 30_000),
  // Discord's global request limit for the bot (requests per second), shared by every process through the REST proxy.
  DISCORD_GLOBAL_REQUESTS_PER_SECOND: integer(1, 10_000, 50),
  // The REST proxy (npm run start:proxy): where it listens. Point every process's DISCORD_REST_URL at it.
  DISCORD_PROXY_HOST: z.string().trim().default("127.0.0.1").refine((v) => isIP(v) !== 0 || HOST_NAME.test(v), { error: "must be an IP address or host name" }),
  DISCORD_PROXY_PORT: port(8080),
  // Bearer token for the sidecar's /metrics; unset: /metrics answers loopback clients only.
  METRICS_TOKEN: optionalText,
});



export const STEAM_OPENID = "https://steamcommunity.com/openid/login";

// Checks across variables, then the shard ranges expanded (only once they are known to be below the count).
const checked = schema
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === "production" && c.STEAM_OPENID_ENDPOINT !== STEAM_OPENID) {
      ctx.addIssue({ code: "custom", path: ["STEAM_OPENID_ENDPOINT"], message: `must be Steam's (${STEAM_OPENID}) in production` });
    }
    if (c.DISCORD_CLIENT_SECRET && !c.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: "custom", path: ["DISCORD_APPLICATION_ID"], message: "is needed with DISCORD_CLIENT_SECRET (it is the OAuth2 client id)" });
    }
    // One local address counted as two public ones would let twice its cap leave from it (the Rust server sees
    // one); a public address listed twice would have all but one of its local addresses silently unused.
    const locals = c.RUSTPLUS_EGRESS_ADDRESSES.map((e) => e.split("=")[0]!.trim());
    const publics = c.RUSTPLUS_EGRESS_ADDRESSES.map((e) => (e.split("=")[1] ?? e).trim());
    const twice = [locals, publics].map((list) => list.find((a, i) => list.indexOf(a) !== i)).find((a) => a !== undefined);
    if (twice !== undefined) {
      ctx.addIssue({ code: "custom", path: ["RUSTPLUS_EGRESS_ADDRESSES"], message: `lists ${twice} twice; give each local address, and each public one, once` });
    }
    if (c.DISCORD_SHARD_IDS.length > 0) {
      if (c.DISCORD_SHARD_COUNT === "auto") {
        ctx.addIssue({ code: "custom", path: ["DISCORD_SHARD_IDS"], message: "needs DISCORD_SHARD_COUNT set to the fleet's total" });
      } else if (c.DISCORD_SHARD_IDS.some(([, to]) => to >= (c.DISCORD_SHARD_COUNT as number))) {
        ctx.addIssue({ code: "custom", path: ["DISCORD_SHARD_IDS"], message: `must be below DISCORD_SHARD_COUNT (${c.DISCORD_SHARD_COUNT})` });
      }
    }
  })
  .transform((c) => ({
    ...c,
    DISCORD_SHARD_IDS: [...new Set(c.DISCORD_SHARD_IDS.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i)))].sort((a, b) => a - b),
  }));

export type Config = z.output<typeof checked>;

function isPemCertificateFile(path: string): boolean {
  try {
    return readFileSync(path, "utf8").includes("-----BEGIN CERTIFICATE-----");
  } catch {
    return false;
  }
}

function isKey(spec: string): boolean {
  try {
    parseKey(spec, "key");
    return true;
  } catch {
    return false;
  }
}

/** Never echoed back in error messages (every other variable's bad value is shown, to help find the typo). */
const SECRETS = new Set([
  "DISCORD_TOKEN",
  "DISCORD_CLIENT_SECRET",
  "DATABASE_URL",
  "CREDS_ENCRYPTION_KEY",
  "CREDS_ENCRYPTION_OLD_KEYS",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "BATTLEMETRICS_TOKEN",
  "METRICS_TOKEN",
]);

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** Parses an environment; throws ConfigError with one readable line per problem. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // Empty (or blank) means unset, for every variable: .env.example leaves many empty to show their defaults.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v === undefined || v.trim() !== ""));
  const result = checked.safeParse(set);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const value = env[name];
      const shown = value === undefined || SECRETS.has(name) ? "" : ` (got ${JSON.stringify(value)})`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

/** The names of every variable the configuration reads (each must be documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

let loaded: Config | undefined;

/** The process's configuration: `.env` (if present) under the real environment, parsed once. */
export async function loadConfig(): Promise<Config> {
  if (loaded) return loaded;
  const { config } = await import("dotenv");
  config({ quiet: true });
  loaded = parseConfig(process.env);
  return loaded;
}
