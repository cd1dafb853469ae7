import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";

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
});
