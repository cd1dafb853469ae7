// Where the encryption key comes from: the environment, or (embedded default only) a generated key file.
import { randomBytes } from "node:crypto";
import { chmod, link, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.ts";
import { dataDirProblem } from "../environment-errors.ts";
import type { Logger } from "../logger.ts";
import { prepareDataDir } from "./data-dir.ts";
import { buildKeyring, formatKey, generateKey, SecretBox, SecretError } from "./crypto.ts";

export const KEY_FILE = "encryption.key";

export async function loadSecretBox(
  config: Pick<Config, "CREDS_ENCRYPTION_KEY" | "CREDS_ENCRYPTION_OLD_KEYS" | "DATABASE_URL" | "DATA_DIR">,
  logger: Logger,
): Promise<SecretBox> {
  if (config.CREDS_ENCRYPTION_KEY) {
    return new SecretBox(buildKeyring(config.CREDS_ENCRYPTION_KEY, config.CREDS_ENCRYPTION_OLD_KEYS));
  }
  if (config.DATABASE_URL) {
    // Several processes share a PostgreSQL database: a key generated on one machine would not be on the others.
    throw new SecretError('CREDS_ENCRYPTION_KEY is required with DATABASE_URL (make one with: echo "1:$(openssl rand -base64 32)")');
  }
  // Private before the key is read or written: an existing directory open to others is tightened or refused here.
  prepareDataDir(config.DATA_DIR, logger);
  const path = join(config.DATA_DIR, KEY_FILE);
  // A data directory that cannot be read or written is the operator's to fix: one line naming DATA_DIR.
  const orDataDirProblem = (error: unknown) => {
    throw dataDirProblem(config.DATA_DIR, error) ?? error;
  };
  let spec = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    return orDataDirProblem(error);
  });
  if (spec === undefined) {
    // Written whole under a temporary name, then linked into place (link fails if the name exists): two first
    // starts at once (the data directory's lock is taken later) both end up with the one key, never a half-written file.
    const fresh = formatKey(1, generateKey());
    const temp = join(config.DATA_DIR, `${KEY_FILE}.${randomBytes(8).toString("hex")}.tmp`);
    await writeFile(temp, `${fresh}\n`, { mode: 0o600, flag: "wx" }).catch(orDataDirProblem);
    try {
      await link(temp, path);
      spec = fresh;
      await chmod(path, 0o600).catch(orDataDirProblem);
      logger.warn(
        { path },
        "generated an encryption key for stored secrets; back this file up with the data directory, or set CREDS_ENCRYPTION_KEY",
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return orDataDirProblem(error);
      spec = await readFile(path, "utf8").catch(orDataDirProblem); // another process's key, written whole
    } finally {
      await unlink(temp).catch(() => {});
    }
  }
  return new SecretBox(buildKeyring(spec.trim(), config.CREDS_ENCRYPTION_OLD_KEYS));
}
