import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ConfigError, parseConfig } from "../src/config.ts";

const CA = fileURLToPath(new URL("fixtures/mcs-tls/cert.pem", import.meta.url));

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("Discord OAuth2 needs the application id with the client secret, and never shows the secret", () => {
    expect(problems({ DISCORD_CLIENT_SECRET: "s3cr3t-value" })).toEqual(["DISCORD_APPLICATION_ID: is needed with DISCORD_CLIENT_SECRET (it is the OAuth2 client id)"]);
    expect(problems({ DISCORD_CLIENT_SECRET: "s3cr3t-value", DISCORD_APPLICATION_ID: "123456789012345678" })).toEqual([]);
    expect(problems({ DISCORD_OAUTH_URL: "ftp://x" }).join()).toMatch(/^DISCORD_OAUTH_URL: must be an http\(s\) URL/);
  });

  it("has working defaults for the embedded self-hosted setup", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      DATA_DIR: "./data",
      WEB_PORT: 3000,
      DISCORD_REST_URL: "https://discord.com/api",
      STEAM_OPENID_ENDPOINT: "https://steamcommunity.com/openid/login",
      ADMIN_STEAM_IDS: [],
      LOG_LEVEL: "info",
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("parses typed values: numbers, lists, URLs", () => {
    const config = parseConfig({
      WEB_PORT: "8080",
      ADMIN_STEAM_IDS: "76561198000000001, 76561198000000002",
      DATABASE_URL: "postgresql://bot@db:5432/rust",
      DATABASE_POOL_SIZE: "25",
    });
    expect(config.WEB_PORT).toBe(8080);
    expect(config.DATABASE_POOL_SIZE).toBe(25);
    expect(config.ADMIN_STEAM_IDS).toEqual(["76561198000000001", "76561198000000002"]);
  });

  it("treats an empty value as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", DISCORD_TOKEN: "" }).DATABASE_URL).toBeUndefined();
  });

  it("refuses an egress address listed twice: one local address is one address to the Rust server", () => {
    const twice = (v: string) => problems({ RUSTPLUS_EGRESS_ADDRESSES: v });
    // Counted as two addresses, 127.0.0.2 would be given two caps' worth of sockets; the server refuses the rest.
    expect(twice("127.0.0.2=198.51.100.1, 127.0.0.2=198.51.100.2")).toEqual([
      'RUSTPLUS_EGRESS_ADDRESSES: lists 127.0.0.2 twice; give each local address, and each public one, once (got "127.0.0.2=198.51.100.1, 127.0.0.2=198.51.100.2")',
    ]);
    expect(twice("127.0.0.2=198.51.100.1,127.0.0.3=198.51.100.1")).toEqual([
      'RUSTPLUS_EGRESS_ADDRESSES: lists 198.51.100.1 twice; give each local address, and each public one, once (got "127.0.0.2=198.51.100.1,127.0.0.3=198.51.100.1")',
    ]);
    expect(twice("127.0.0.2,127.0.0.2")).toHaveLength(1);
    expect(twice("1.2.3.4=")).toEqual(['RUSTPLUS_EGRESS_ADDRESSES: must be IP addresses, "local" or "local=public", comma-separated (got "1.2.3.4=")']);
    expect(parseConfig({ RUSTPLUS_EGRESS_ADDRESSES: "127.0.0.2, ::1, 127.0.0.3=198.51.100.1" }).RUSTPLUS_EGRESS_ADDRESSES).toEqual(["127.0.0.2", "::1", "127.0.0.3=198.51.100.1"]);
  });

  it("reports each bad value in one readable line naming the variable", () => {
    expect(
      problems({ WEB_PORT: "http", DATABASE_URL: "mysql://x/y", ADMIN_STEAM_IDS: "12345", LOG_LEVEL: "loud" }),
    ).toEqual([
      'LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (got "loud")',
      "DATABASE_URL: must be a postgresql:// URL",
      'WEB_PORT: must be a port number (got "http")',
      'ADMIN_STEAM_IDS: must be 17-digit Steam ids (7656…), comma-separated (got "12345")',
    ]);
  });

  it("never echoes a secret back", () => {
    const lines = problems({ DISCORD_TOKEN: "not a token", STRIPE_SECRET_KEY: "pk_live_abc" });
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toMatch(/not a token|pk_live_abc/);
  });

  it("checks shard id ranges against DISCORD_SHARD_COUNT before expanding them, and refuses reversed ones", () => {
    // Expanded first, this range ran node out of memory ("invalid size error") instead of saying it is too high.
    expect(problems({ DISCORD_SHARD_COUNT: "4", DISCORD_SHARD_IDS: "0-99999999999" })).toEqual([
      'DISCORD_SHARD_IDS: must be below DISCORD_SHARD_COUNT (4) (got "0-99999999999")',
    ]);
    expect(problems({ DISCORD_SHARD_COUNT: "8", DISCORD_SHARD_IDS: "5-2" })).toEqual([
      'DISCORD_SHARD_IDS: has the range "5-2" reversed; write the lower id first ("2-5") (got "5-2")',
    ]);
    expect(parseConfig({ DISCORD_SHARD_COUNT: "8", DISCORD_SHARD_IDS: "6, 0-2, 1" }).DISCORD_SHARD_IDS).toEqual([0, 1, 2, 6]);
  });

  it("an empty or blank value means the default for every variable, numbers included", () => {
    const config = parseConfig({
      WEB_PORT: "",
      DISCORD_SHARD_SPAWN_DELAY_MS: "",
      DATABASE_POOL_SIZE: " ",
      LINK_TOKEN_TTL_MINUTES: "",
      DISCORD_SHARD_COUNT: "",
      WEB_TRUST_PROXY: "",
      LOG_LEVEL: "",
      STRIPE_CREDIT_PACKS: "",
    });
    expect(config).toMatchObject({
      WEB_PORT: 3000,
      DISCORD_SHARD_SPAWN_DELAY_MS: 5_500,
      DATABASE_POOL_SIZE: 10,
      LINK_TOKEN_TTL_MINUTES: 10,
      DISCORD_SHARD_COUNT: "auto",
      WEB_TRUST_PROXY: 0,
      LOG_LEVEL: "info",
      STRIPE_CREDIT_PACKS: [],
    });
  });

  it("a number that is not one says what is expected and shows the value", () => {
    expect(problems({ WEB_TRUST_PROXY: "true", DISCORD_SHARD_SPAWN_DELAY_MS: "abc" })).toEqual([
      'DISCORD_SHARD_SPAWN_DELAY_MS: must be a whole number from 0 to 60000 (got "abc")',
      'WEB_TRUST_PROXY: must be a whole number from 0 to 10 (got "true")',
    ]);
  });

  it("a malformed encryption key is a configuration problem whose suggested command makes a versioned key", () => {
    const [line, ...rest] = problems({ CREDS_ENCRYPTION_KEY: "abc" });
    expect(rest).toEqual([]);
    expect(line).toMatch(/^CREDS_ENCRYPTION_KEY: must be "<version>:<base64 of 32 random bytes>" \(a bare base64 key counts as version 1\)/);
    expect(line).toContain('echo "1:$(openssl rand -base64 32)"');
    expect(line).not.toContain("abc");
    expect(problems({ CREDS_ENCRYPTION_OLD_KEYS: "2:short" })[0]).toMatch(/^CREDS_ENCRYPTION_OLD_KEYS: each comma-separated key must be/);
    expect(problems({ CREDS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") })).toEqual([]);
  });

  it("accepts LOG_LEVEL in any case", () => {
    expect(parseConfig({ LOG_LEVEL: "INFO" }).LOG_LEVEL).toBe("info");
    expect(parseConfig({ LOG_LEVEL: "Debug" }).LOG_LEVEL).toBe("debug");
  });

  it("shows the bad value of a setting that only has TOKEN in its name; still hides real secrets", () => {
    expect(problems({ LINK_TOKEN_TTL_MINUTES: "90" })).toEqual(['LINK_TOKEN_TTL_MINUTES: must be a whole number from 1 to 60 (got "90")']);
    expect(problems({ STRIPE_WEBHOOK_SECRET: "wh_oops" }).join()).not.toContain("wh_oops");
  });

  it("refuses credit packs with a specific line: an uppercase name, 0 credits, a name used twice", () => {
    expect(problems({ STRIPE_CREDIT_PACKS: "Small:price_1:100" })[0]).toMatch(/^STRIPE_CREDIT_PACKS: a pack name must be 1-30 lowercase letters/);
    expect(problems({ STRIPE_CREDIT_PACKS: "small:price_1:0" })[0]).toMatch(/^STRIPE_CREDIT_PACKS: the credits must be a whole number from 1/);
    expect(problems({ STRIPE_CREDIT_PACKS: "small:price_1:10,small:price_2:20" })[0]).toMatch(
      /^STRIPE_CREDIT_PACKS: the pack name "small" is used twice/,
    );
    expect(parseConfig({ STRIPE_CREDIT_PACKS: "small:price_1:10, large:price_2:60" }).STRIPE_CREDIT_PACKS).toEqual([
      { name: "small", priceId: "price_1", credits: 10 },
      { name: "large", priceId: "price_2", credits: 60 },
    ]);
  });

  it("points the push channel at Google unless told otherwise, and names each bad FCM setting in one line", () => {
    expect(parseConfig({})).toMatchObject({ FCM_CHECKIN_URL: "https://android.clients.google.com/checkin", FCM_MCS_HOST: "mtalk.google.com", FCM_MCS_PORT: 5228 });
    expect(parseConfig({ FCM_CA_FILE: CA }).FCM_CA_FILE).toBe(CA);
    expect(problems({ FCM_CHECKIN_URL: "http://127.0.0.1/checkin", FCM_MCS_HOST: "not a host", FCM_MCS_PORT: "0", FCM_CA_FILE: "/nonexistent/ca.pem" })).toEqual([
      'FCM_CHECKIN_URL: must be an https URL (got "http://127.0.0.1/checkin")',
      'FCM_MCS_HOST: must be an IP address or host name (got "not a host")',
      'FCM_MCS_PORT: must be a whole number from 1 to 65535 (got "0")',
      'FCM_CA_FILE: must be a readable PEM certificate file (got "/nonexistent/ca.pem")',
    ]);
    // A readable file that holds no certificate (the fake's private key) is refused too.
    expect(problems({ FCM_CA_FILE: CA.replace("cert.pem", "key.pem") })).toEqual([`FCM_CA_FILE: must be a readable PEM certificate file (got ${JSON.stringify(CA.replace("cert.pem", "key.pem"))})`]);
  });
});
