// Logging in as an operator sees it: the invite link, and a hint when Discord does not answer.
import { Events, PermissionsBitField } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { createDiscordClient } from "../../src/bot/client.ts";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { REST } from "@discordjs/rest";
import { loginFailure, loginToDiscord } from "../../src/bot/login.ts";
import { parseConfig } from "../../src/config.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { capturedLogger } from "../helpers/logs.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

let fake: FakeDiscord;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(env: Record<string, string> = {}) {
  fake = await FakeDiscord.start();
  cleanup.push(() => fake.close());
  const config = parseConfig({ DISCORD_TOKEN: fake.token, DISCORD_REST_URL: fake.restUrl, NODE_ENV: "test", ...env });
  const client = createDiscordClient(config);
  cleanup.push(() => client.destroy());
  const { logger, logs } = capturedLogger();
  const timers = new ManualTimers();
  return { config, client, logger, logs, timers };
}

const warnings = (logs: Record<string, unknown>[]) => logs.filter((l) => l["level"] === 40).map((l) => String(l["msg"]));
const invites = (logs: Record<string, unknown>[]) => logs.flatMap((l) => (typeof l["invite"] === "string" ? [new URL(l["invite"])] : []));

/** The invite must ask for exactly what README's "Run it" lists. */
function expectInvite(url: URL | undefined, applicationId: string) {
  expect(url?.origin + (url?.pathname ?? "")).toBe("https://discord.com/oauth2/authorize");
  expect(url?.searchParams.get("client_id")).toBe(applicationId);
  expect(url?.searchParams.get("scope")?.split(" ")).toEqual(["bot", "applications.commands"]);
  const granted = new PermissionsBitField(BigInt(url?.searchParams.get("permissions") ?? "0")).toArray();
  expect(granted.sort()).toEqual(
    ["ViewChannel", "ManageChannels", "ManageRoles", "SendMessages", "EmbedLinks", "AttachFiles", "ReadMessageHistory"].sort(),
  );
}

describe("logging in to Discord", () => {
  it("says once, after 15 s without an answer, that it is still waiting and what to check", async () => {
    const applicationId = "123456789012345678";
    const { config, client, logger, logs, timers } = await start({ DISCORD_APPLICATION_ID: applicationId });
    // Discord takes the request for the gateway and never answers it.
    fake.hangNext({ method: "GET", route: "/gateway/bot" });
    const login = loginToDiscord(client, fake.token, config, logger, { timers });
    login.catch(() => {});
    await fake.waitForCall((c) => c.route === "/gateway/bot");

    // The configured application id gives the invite link before Discord answers.
    expectInvite(invites(logs)[0], applicationId);
    timers.advance(14_999);
    expect(warnings(logs)).toEqual([]);
    timers.advance(1);
    expect(warnings(logs)).toHaveLength(1);
    const [line] = warnings(logs);
    expect(line).toContain("still waiting for Discord after 15 s");
    expect(line).toContain("DISCORD_TOKEN");
    expect(line).toContain(`DISCORD_REST_URL (${fake.restUrl})`);
    expect(line).toContain("Message Content intent");
    // One line, not a repeated alarm, and no crash.
    timers.advance(120_000);
    expect(warnings(logs)).toHaveLength(1);
  });

  it("without DISCORD_APPLICATION_ID, logs the invite link from the logged-in client, and no waiting hint", async () => {
    const { config, client, logger, logs, timers } = await start();
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await loginToDiscord(client, fake.token, config, logger, { timers });
    await ready;
    expect(invites(logs)).toHaveLength(1);
    expectInvite(invites(logs)[0], fake.applicationId);
    timers.advance(60_000);
    expect(warnings(logs)).toEqual([]);
  });
});

describe("the line printed when login fails", () => {
  it("a Discord that never answers is named as a timeout of DISCORD_REST_URL, in one line", async () => {
    // A server that accepts and never answers; @discordjs/rest's own timeout (here 50 ms, one attempt) aborts the
    // request and throws what `npm start` saw after ~60 s: a DOMException named AbortError.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanup.push(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const rest = new REST({ api: url, timeout: 50, retries: 0 }).setToken("x");
    const error: unknown = await rest.get("/gateway/bot").then(() => undefined, (e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");

    const line = loginFailure(url, error);
    expect(line).toMatch(new RegExp(`^Configuration error: DISCORD_REST_URL: Discord at ${url} did not answer in time[^\\n]*$`));
  });

  it("an unreachable DISCORD_REST_URL is named; a rejected token names DISCORD_TOKEN", async () => {
    // A port just freed: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const refused: unknown = await fetch(url).then(() => undefined, (e: unknown) => e);
    expect(loginFailure(url, refused)).toMatch(new RegExp(`^Configuration error: DISCORD_REST_URL: cannot reach Discord at ${url} `));
    expect(loginFailure("x", Object.assign(new Error("An invalid token was provided."), { code: "TokenInvalid" }))).toContain("DISCORD_TOKEN");
  });
});
