import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKeyring, formatKey, generateKey, SecretBox, SecretError } from "../../src/db/crypto.ts";
import { rotateSecrets } from "../../src/db/rotate-keys.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../helpers/database.ts";
import { createUser, steamId } from "../helpers/fixtures.ts";

const key1 = formatKey(1, generateKey());
const key2 = formatKey(2, generateKey());
const boxV1 = new SecretBox(buildKeyring(key1));

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.dispose());

async function storeServer(box: SecretBox, token: string) {
  const user = await createUser(db.prisma);
  const sealed = box.seal("PairedServer.playerToken", token);
  return db.prisma.pairedServer.create({
    data: {
      userId: user.id, serverName: "EU Main", ip: "1.2.3.4", port: 28082, playerSteamId: steamId(),
      playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion,
    },
  });
}

async function storeCredential(box: SecretBox, blob: string) {
  const user = await createUser(db.prisma);
  const sealed = box.seal("FcmCredential.blob", blob);
  return db.prisma.fcmCredential.create({ data: { userId: user.id, blobEncrypted: sealed.ciphertext, keyVersion: sealed.keyVersion } });
}

const readToken = async (box: SecretBox, id: string) => {
  const row = await db.prisma.pairedServer.findUniqueOrThrow({ where: { id } });
  return box.open("PairedServer.playerToken", { ciphertext: row.playerToken, keyVersion: row.playerTokenKeyVersion });
};

describe(`secrets at rest on ${testDatabaseKind}`, () => {
  it("round-trips a player token through the database, never storing it in clear", async () => {
    const server = await storeServer(boxV1, "-1234567890");
    expect(await readToken(boxV1, server.id)).toBe("-1234567890");
    const [raw] = await db.sql<{ hex: string }>(`SELECT encode("playerToken", 'hex') AS hex FROM "PairedServer" WHERE id = $1`, server.id);
    expect(raw?.hex).not.toContain(Buffer.from("-1234567890").toString("hex"));
  });

  it("refuses a tampered ciphertext with a clear error", async () => {
    const server = await storeServer(boxV1, "31337");
    await db.sql(`UPDATE "PairedServer" SET "playerToken" = set_byte("playerToken", 30, get_byte("playerToken", 30) # 1) WHERE id = $1`, server.id);
    await expect(readToken(boxV1, server.id)).rejects.toThrow(/failed authentication: it was altered/);
  });

  it("refuses a ciphertext moved to another column", async () => {
    const server = await storeServer(boxV1, "31337");
    expect(() => boxV1.open("FcmCredential.blob", { ciphertext: server.playerToken, keyVersion: 1 })).toThrow(SecretError);
  });

  it("says which key is missing instead of returning garbage", async () => {
    const server = await storeServer(boxV1, "777");
    const onlyV2 = new SecretBox(buildKeyring(key2));
    await expect(readToken(onlyV2, server.id)).rejects.toThrow(/key version 1, which is not configured/);
  });

  it("rotation re-encrypts every row so that the new key alone reads them all", async () => {
    const servers = await Promise.all(["11", "22", "33"].map((t) => storeServer(boxV1, t)));
    const creds = await Promise.all(['{"gcm":1}', '{"gcm":2}'].map((b) => storeCredential(boxV1, b)));
    // The rows of the tests above include a tampered one, which would stop the rotation loudly.
    await db.prisma.pairedServer.deleteMany({ where: { id: { notIn: servers.map((s) => s.id) } } });

    const rotating = new SecretBox(buildKeyring(key2, key1));
    const report = await rotateSecrets(db.prisma, rotating);
    expect(report["FcmCredential.blob"]).toBe(2);
    expect(report["PairedServer.playerToken"]).toBe(3);

    const onlyV2 = new SecretBox(buildKeyring(key2));
    expect(await Promise.all(servers.map((s) => readToken(onlyV2, s.id)))).toEqual(["11", "22", "33"]);
    for (const [i, cred] of creds.entries()) {
      const row = await db.prisma.fcmCredential.findUniqueOrThrow({ where: { id: cred.id } });
      expect(row.keyVersion).toBe(2);
      expect(onlyV2.open("FcmCredential.blob", { ciphertext: row.blobEncrypted, keyVersion: row.keyVersion })).toBe(`{"gcm":${i + 1}}`);
    }
    // Nothing left to do the second time.
    expect(await rotateSecrets(db.prisma, rotating)).toEqual({ "FcmCredential.blob": 0, "PairedServer.playerToken": 0 });
  });
});
