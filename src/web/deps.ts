import type Stripe from "stripe";
import type { Config } from "../config.ts";
import type { PrismaClient } from "../db/client.ts";
import type { Logger } from "../logger.ts";
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
}
