// The whole link flow a player goes through: /link in Discord → the sidecar → Steam → back → /account.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { startWebServer } from "../../src/web/server.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeSteam } from "../fakes/steam/index.ts";
import { startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let steam: FakeSteam;
let bot: TestBot;
let web: Awaited<ReturnType<typeof startWebServer>>;
let base: string;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  steam = await FakeSteam.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { PUBLIC_BASE_URL: base, STEAM_OPENID_ENDPOINT: steam.endpoint };
  bot = await startTestBot(fake, { env });
  web = await startWebServer({ config: parseConfig(env), prisma: bot.db.prisma, logger: bot.ctx.logger, stripe: undefined, notifier: bot.notifier }, port, "127.0.0.1");
});
afterAll(async () => {
  await web?.close();
  await bot?.stop();
  await steam?.close();
  await fake?.close();
});

describe("linking Steam from Discord", () => {
  it("links the player who ran /link, and /account then knows them", async () => {
    const guildId = fake.createGuild({ name: "Linkers" }).id;
    const player = fake.createUser();
    const steamId = "76561198012345678";

    const reply = await (await fake.sendCommand({ guildId, name: "link", user: player })).reply();
    const url = /"url":"([^"]+)"/.exec(JSON.stringify(reply.components))?.[1];
    expect(url?.startsWith(`${base}/auth/link/`)).toBe(true);

    const toSteam = await fetch(url!, { redirect: "manual" });
    expect(toSteam.status).toBe(302);
    const cookie = toSteam.headers.get("set-cookie")!.split(";")[0]!;
    const callback = steam.approve(toSteam.headers.get("location")!, steamId);
    const page = await fetch(callback, { redirect: "manual", headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Linked Steam account ${steamId}`);

    const account = await (await fake.sendCommand({ guildId, name: "account", user: player })).reply();
    expect(JSON.stringify(account.embeds)).toContain(steamId);
    // The link works once.
    expect((await fetch(url!, { redirect: "manual" })).status).toBe(400);
  });
});
