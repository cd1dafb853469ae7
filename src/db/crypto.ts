// Secrets at rest: AES-256-GCM, a fresh 96-bit IV per value, the key version stored beside the ciphertext.
// The purpose (table and column) is bound as associated data, so a ciphertext moved to another column fails.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export type SecretPurpose = "FcmCredential.blob" | "PairedServer.playerToken";

export interface Sealed {
  ciphertext: Uint8Array<ArrayBuffer>;
  keyVersion: number;
}

export class SecretError extends Error {
  override readonly name = "SecretError";
}

export interface Keyring {
  readonly current: number;
  readonly keys: ReadonlyMap<number, Buffer>;
}

/** What a key setting must look like, and how to make one (a bare key is version 1). */
export const KEY_FORMAT =
  'must be "<version>:<base64 of 32 random bytes>" (a bare base64 key counts as version 1); make one with: echo "1:$(openssl rand -base64 32)"';

/** A key as written in configuration: `<version>:<base64 of 32 bytes>`, or bare base64 for version 1. */
export function parseKey(spec: string, label: string): { version: number; key: Buffer } {
  const match = /^(?:(\d{1,6}):)?([A-Za-z0-9+/=_-]+)$/.exec(spec.trim());
  const key = match?.[2] === undefined ? undefined : Buffer.from(match[2], "base64");
  if (!match || !key || key.length !== KEY_BYTES) {
    throw new SecretError(`${label} ${KEY_FORMAT}`);
  }
  const version = match[1] === undefined ? 1 : Number(match[1]);
  if (version < 1) throw new SecretError(`${label}: the key version must be 1 or more`);
  return { version, key };
}

export function formatKey(version: number, key: Buffer): string {
  return `${version}:${key.toString("base64")}`;
}

export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** The current key plus older ones (comma-separated) that must stay readable until rotated away. */
export function buildKeyring(current: string, older = ""): Keyring {
  const main = parseKey(current, "CREDS_ENCRYPTION_KEY");
  const keys = new Map<number, Buffer>([[main.version, main.key]]);
  for (const spec of older.split(",").map((s) => s.trim()).filter(Boolean)) {
    const old = parseKey(spec, "CREDS_ENCRYPTION_OLD_KEYS");
    const existing = keys.get(old.version);
    if (existing && !existing.equals(old.key)) {
      throw new SecretError(`two different encryption keys share version ${old.version}; give each key its own version`);
    }
    keys.set(old.version, old.key);
  }
  return { current: main.version, keys };
}

export class SecretBox {
  constructor(readonly keyring: Keyring) {}

  seal(purpose: SecretPurpose, plaintext: string): Sealed {
    const version = this.keyring.current;
    const key = this.keyring.keys.get(version) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const out = new Uint8Array(IV_BYTES + TAG_BYTES + body.length);
    out.set(iv, 0);
    out.set(cipher.getAuthTag(), IV_BYTES);
    out.set(body, IV_BYTES + TAG_BYTES);
    return { ciphertext: out, keyVersion: version };
  }

  open(purpose: SecretPurpose, sealed: { ciphertext: Uint8Array; keyVersion: number }): string {
    const key = this.keyring.keys.get(sealed.keyVersion);
    if (!key) {
      throw new SecretError(
        `a ${purpose} secret is encrypted with key version ${sealed.keyVersion}, which is not configured: ` +
          `add that key to CREDS_ENCRYPTION_OLD_KEYS`,
      );
    }
    const data = Buffer.from(sealed.ciphertext);
    if (data.length < IV_BYTES + TAG_BYTES) throw new SecretError(`a ${purpose} secret is truncated`);
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretError(
        `a ${purpose} secret failed authentication: it was altered, or key version ${sealed.keyVersion} is not the key it was written with`,
      );
    }
  }

  /** Whether a value should be rewritten by rotation. */
  isStale(keyVersion: number): boolean {
    return keyVersion !== this.keyring.current;
  }
}
