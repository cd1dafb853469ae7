import type Stripe from "stripe";
import type { Config } from "../config.ts";
import type { PrismaClient } from "../db/client.ts";
import type { SecretBox } from "../db/crypto.ts";
import type { Logger } from "../logger.ts";
import type { ReadinessCheck } from "../metrics/readiness.ts";
import type { Notifier } from "../notify/notifier.ts";

/** What the sidecar's routes need. */
export interface WebDeps {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  /** Absent when STRIPE_SECRET_KEY is not configured: billing routes answer 503. */
  stripe: Stripe | undefined;
  /** To tell users in Discord (a failed payment); absent when the sidecar runs on its own without REST. */
  notifier: Notifier | undefined;
  /** Encrypts credentials handed over by device pairing; absent (the route answers 503) without a key. */
  secrets?: SecretBox | undefined;
  /** Called after device pairing stored a user's credentials (the bot's listener, when in the same process). */
  credentialsSaved?: ((userId: string) => Promise<void> | void) | undefined;
  /** /readyz checks besides the database's (always run): the Discord gateway, the fleet's leases, when in this process. */
  readiness?: readonly ReadinessCheck[] | undefined;
}
