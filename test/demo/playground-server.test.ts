// The playground's page server over the fake Discord and a scripted world: what it serves, what it refuses and
// how, and what its live stream tells. No bot here (the browser test runs the whole demo): a discord.js client
// plays the bot where one is needed.
import { once } from "node:events";
import { ChannelType, Client, GatewayIntentBits, type TextChannel } from "discord.js";
import { Routes } from "discord-api-types/v10";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { GameActionError, type DemoWorld, type GameAction, type WorldView } from "../../src/demo/demo-world-types.ts";
import { startPlayground, type Playground } from "../../src/demo/playground-server.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";

const VIEW: WorldView = {
  serverName: "Demo Island", ip: "127.0.0.1", port: 28082, time: 12.5, isDay: true, you: { steamId: "76561198000000001", name: "You" },
  team: [], devices: [{ entityId: 7, kind: "switch", name: "Door", value: false, paired: false }], events: [], chat: [], vending: [],
  companion: { registered: false, botListening: false }, serverPaired: false, connections: 0, status: "running", wipes: 0,
};

/** A world that records what it is asked, refuses a restart (as one already restarting would) and knows only device 7. */
function scriptedWorld(): DemoWorld & { actions: GameAction[]; change(view: WorldView): void } {
  const actions: GameAction[] = [];
  const listeners = new Set<(view: WorldView) => void>();
  return {
    actions,
    view: () => VIEW,
    onChange: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
    change: (view) => { for (const listener of listeners) listener(view); },
    async act(action) {
      if (action.action === "restart") throw new GameActionError("The server is restarting already.");
      if (action.action === "flip-switch" && action.entityId !== 7) throw new GameActionError(`There is no smart device ${action.entityId} on your base.`, 404);
      actions.push(action);
      return { message: `done: ${action.action}` };
    },
    async close() {},
  };
}

let discord: FakeDiscord;
let playground: Playground;
let world: ReturnType<typeof scriptedWorld>;
let guildId: string;
const clients: Client[] = [];

beforeEach(async () => {
  discord = await FakeDiscord.start();
  guildId = discord.createGuild({ name: "Demo" }).id;
  world = scriptedWorld();
  playground = await startPlayground({ discord, guildId, user: discord.createUser({ username: "demo" }), world });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await playground.close();
  await discord.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(path, playground.url), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
const state = async () => (await (await fetch(new URL("/api/state", playground.url))).json()) as { discord: { channels: { id: string; name: string; kind: string }[]; messages: { attachments: { url: string }[] }[] }; world: WorldView };
const general = async () => (await state()).discord.channels.find((c) => c.name === "general")!.id;

/** The bot's side, where a test needs it: a discord.js client logged in to the fake. */
async function bot(): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.restUrl } });
  clients.push(client);
  const ready = once(client, "clientReady");
  await client.login(discord.token);
  await ready;
  return client;
}

/** Reads Server-Sent Events from the stream until `count` have arrived. */
async function readEvents(response: Response, count: number): Promise<{ event: string; data: unknown }[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: unknown }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) as unknown });
    }
  }
  await reader.cancel();
  return events;
}

describe("the playground server", () => {
  it("listens on loopback only", async () => {
    expect(playground.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(startPlayground({ discord, guildId, user: discord.createUser(), world, host: "0.0.0.0" })).rejects.toThrow(/127\.0\.0\.1 or ::1 only/);
  });

  it("serves the page with a policy that loads nothing from elsewhere", async () => {
    const page = await fetch(playground.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="playground"');
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect((await fetch(new URL("/app.js", playground.url))).headers.get("content-type")).toMatch(/javascript/);
  });

  it("refuses another Host (DNS rebinding) and a POST from another site", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL("/api/state", playground.url), { headers: { host: "evil.example:80" } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on("error", reject).end();
    });
    expect(status).toBe(403);
    const refused = await post("/api/game", { action: "pair-server" }, { origin: "http://evil.example" });
    expect(refused.status).toBe(403);
    expect(world.actions).toEqual([]);
  });

  it("gives the guild somewhere to type: #general, when it has no text channel", async () => {
    const { discord: snapshot, world: view } = await state();
    expect(snapshot.channels).toMatchObject([{ name: "general", kind: "text" }]);
    expect(view).toEqual(VIEW);
  });

  it("game actions: a valid one reaches the world; a bad body is 400 with why; a refused one is 409, one on an unknown device 404", async () => {
    const done = await post("/api/game", { action: "flip-switch", entityId: 7 });
    expect(await done.json()).toEqual({ message: "done: flip-switch" });
    const bad = await post("/api/game", { action: "flip-switch", entityId: -1 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^entityId: /);
    expect((await post("/api/game", { action: "teleport" })).status).toBe(400);
    expect((await post("/api/game", { action: "team-chat", text: "x".repeat(200) })).status).toBe(400);
    expect((await post("/api/game", "{not json")).status).toBe(400);
    const refused = await post("/api/game", { action: "restart" });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: "The server is restarting already." });
    const unknown = await post("/api/game", { action: "flip-switch", entityId: 8 });
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: "There is no smart device 8 on your base." }]);
    expect(world.actions).toEqual([{ action: "flip-switch", entityId: 7 }]);
  });

  it("a body must be a JSON object sent as JSON, with no key the action does not take", async () => {
    const error = async (response: Response) => [response.status, ((await response.json()) as { error: string }).error];
    expect(await error(await post("/api/game", "action=restart", { "content-type": "application/x-www-form-urlencoded" }))).toEqual([415, expect.stringMatching(/content-type: application\/json/)]);
    expect(await error(await post("/api/game", '{"action":"restart"}', { "content-type": "text/plain" }))).toEqual([415, expect.stringMatching(/as JSON/)]);
    expect(await error(await post("/api/game", "null"))).toEqual([400, "The body must be a JSON object."]);
    expect(await error(await post("/api/game", "{nope"))).toEqual([400, "The body is not valid JSON."]);
    expect(await error(await post("/api/game", { action: "flip-switch", entityId: 7, value: true }))).toEqual([400, expect.stringContaining("value")]);
    expect(world.actions).toEqual([]);
  });

  it("commands are checked against what the bot registered, as Discord's client checks them", async () => {
    const client = await bot();
    await client.rest.put(Routes.applicationCommands(discord.applicationId), { body: commands.map((c) => c.data) });
    const channelId = await general();
    const error = async (body: unknown) => {
      const response = await post("/api/command", body);
      return [response.status, ((await response.json()) as { error: string }).error];
    };
    expect(await error({ channelId, name: "nope" })).toEqual([400, "There is no command /nope."]);
    expect(await error({ channelId, name: "setup" })).toEqual([400, expect.stringMatching(/^Choose a subcommand of \/setup: run, families/)]);
    expect(await error({ channelId, name: "setup", subcommand: "run", options: { force: true } })).toEqual([400, "/setup has no option force."]);
    expect(await error({ channelId, name: "setup", subcommand: "families", options: { family: "NOT_ONE" } })).toEqual([400, expect.stringMatching(/^Option family: one of /)]);
    expect(await error({ channelId, name: "setup", subcommand: "families", options: { enabled: "maybe" } })).toEqual([400, "Option enabled: true or false."]);
    expect(await error({ channelId: "123456789", name: "ping" })).toEqual([404, "No such channel in this server."]);
    expect(await error({ channelId, name: "ping", extra: 1 })).toEqual([400, expect.stringContaining("extra")]);
  });

  it("components: only on a message the user sees, and one it shows; forms only while open", async () => {
    const missing = await post("/api/component", { messageId: "123456789012", customId: "server:connect:abc" });
    expect(missing.status).toBe(404);
    const closed = await post("/api/modal", { customId: "credentials", fields: { paste: "{}" } });
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { error: string }).error).toMatch(/not open/);
  });

  it("streams the state, then Discord's and the world's changes; serves the bot's images", async () => {
    const client = await bot();
    const stream = await fetch(new URL("/api/events", playground.url));
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = readEvents(stream, 4);
    // The server subscribed before it answered the headers: everything from here on is streamed, after the state.
    const channelId = await general();
    discord.guild(guildId).createChannel({ name: "rust", type: ChannelType.GuildCategory });
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    await channel.send({ content: "the map", files: [{ attachment: Buffer.from("not really a png"), name: "map.png" }] });
    world.change({ ...VIEW, time: 13 });
    const [first, ...rest] = await events;
    expect(first).toMatchObject({ event: "state", data: { discord: { guild: { name: "Demo" } }, world: { serverName: "Demo Island" } } });
    expect(rest).toMatchObject([
      { event: "discord", data: { type: "channel", channel: { name: "rust", kind: "category" } } },
      { event: "discord", data: { type: "message", message: { content: "the map", attachments: [{ filename: "map.png", url: expect.stringMatching(/^\/attachments\/\d+\/map\.png$/) }] } } },
      { event: "world", data: { time: 13 } },
    ]);
    const url = (await state()).discord.messages[0]!.attachments[0]!.url;
    const image = await fetch(new URL(url, playground.url));
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).toString()).toBe("not really a png");
    expect((await fetch(new URL("/attachments/1234567/other.png", playground.url))).status).toBe(404);
  });
});
