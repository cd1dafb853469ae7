import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { buildKeyring, formatKey, generateKey, parseKey, SecretBox, SecretError } from "../src/db/crypto.ts";
import { KEY_FILE, loadSecretBox } from "../src/db/keys.ts";
import { createLogger } from "../src/logger.ts";

const dir = await mkdtemp(join(tmpdir(), "keys-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { logger: createLogger({ level: "info" }, sink), lines };
}

describe("encryption keys", () => {
  it("accepts versioned and bare base64 keys, and refuses anything else with how to make one", () => {
    const raw = generateKey();
    expect(parseKey(formatKey(7, raw), "K")).toEqual({ version: 7, key: raw });
    expect(parseKey(raw.toString("base64"), "K").version).toBe(1);
    expect(() => parseKey("hunter2", "CREDS_ENCRYPTION_KEY")).toThrow(/openssl rand -base64 32/);
    expect(() => parseKey(`1:${generateKey().subarray(0, 16).toString("base64")}`, "K")).toThrow(SecretError);
  });

  it("refuses two different keys under one version", () => {
    expect(() => buildKeyring(formatKey(1, generateKey()), formatKey(1, generateKey()))).toThrow(/share version 1/);
  });

  it("uses a fresh IV for every value", () => {
    const box = new SecretBox(buildKeyring(formatKey(1, generateKey())));
    const a = box.seal("PairedServer.playerToken", "same");
    const b = box.seal("PairedServer.playerToken", "same");
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
  });

  it("generates a key file (0600) on the embedded default, says so once, and reuses it", async () => {
    const config = { DATA_DIR: dir, CREDS_ENCRYPTION_KEY: undefined, CREDS_ENCRYPTION_OLD_KEYS: undefined, DATABASE_URL: undefined };
    const first = capturingLogger();
    const box = await loadSecretBox(config, first.logger);
    expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(first.lines.join("")).toContain("generated an encryption key");
    expect(first.lines.join("")).not.toContain((await readFile(join(dir, KEY_FILE), "utf8")).trim().slice(2));

    const second = capturingLogger();
    const again = await loadSecretBox(config, second.logger);
    expect(second.lines).toEqual([]);
    const sealed = box.seal("FcmCredential.blob", "creds");
    expect(again.open("FcmCredential.blob", sealed)).toBe("creds");
  });

  it("two first starts at once on a new DATA_DIR: both end up with the one key written, neither crashes", async () => {
    // Both read no key file before either writes one; the second write finds the first's (the lock comes later).
    const config = { DATA_DIR: join(dir, "together"), CREDS_ENCRYPTION_KEY: undefined, CREDS_ENCRYPTION_OLD_KEYS: undefined, DATABASE_URL: undefined };
    const [a, b] = await Promise.all([loadSecretBox(config, capturingLogger().logger), loadSecretBox(config, capturingLogger().logger)]);
    expect(b.open("FcmCredential.blob", a.seal("FcmCredential.blob", "creds"))).toBe("creds");
  });

  it("requires a configured key with PostgreSQL", async () => {
    const config = { DATA_DIR: dir, CREDS_ENCRYPTION_KEY: undefined, CREDS_ENCRYPTION_OLD_KEYS: undefined, DATABASE_URL: "postgresql://db/x" };
    await expect(loadSecretBox(config, capturingLogger().logger)).rejects.toThrow(/CREDS_ENCRYPTION_KEY is required with DATABASE_URL/);
  });
});
