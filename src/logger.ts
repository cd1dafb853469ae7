// pino with stable fields. Secrets are redacted by key wherever they appear, as a second line of defence:
// code never logs them on purpose.
import { pino, type Logger } from "pino";

export type { Logger };

export const REDACTED_KEYS = [
  "token",
  "playerToken",
  "authorization",
  "password",
  "secret",
  "key",
  "blobEncrypted",
  "credentials",
  "DISCORD_TOKEN",
  "CREDS_ENCRYPTION_KEY",
  "CREDS_ENCRYPTION_OLD_KEYS",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "BATTLEMETRICS_TOKEN",
  "DATABASE_URL",
];

export function createLogger(
  options: { level: string; pretty?: boolean },
  destination?: pino.DestinationStream,
): Logger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  const base: pino.LoggerOptions = {
    level: options.level,
    base: { service: "rustplus-bot", pid: process.pid },
    redact: { paths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.err },
  };
  if (destination) return pino(base, destination);
  if (options.pretty && canResolve("pino-pretty")) return pino({ ...base, transport: { target: "pino-pretty", options: { colorize: true } } });
  return pino(base);
}

/** pino-pretty is a dev dependency: absent from a production install. */
function canResolve(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
