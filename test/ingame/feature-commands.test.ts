// In-game commands other features add: !cargo and !heli from the map now, !events from what was posted, and a
// smart device's custom command (/device command) that switches it from team chat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EntityType, MarkerType } from "../fakes/rustplus/index.ts";
import { say, startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("map commands", () => {
  it("!cargo and !heli say where they are now, or that they are not on the map", async () => {
    h.game.setMarkers([{ id: 7, type: MarkerType.CargoShip, x: 1500, y: 1400, rotation: 0 }]);
    h.game.setMarkers([{ id: 7, type: MarkerType.CargoShip, x: 2200, y: 700, rotation: 0 }]);
    expect(await say(h, h.bob, "!cargo")).toEqual(["Cargo ship at O15"]);
    expect(await say(h, h.bob, "!heli")).toEqual(["No patrol helicopter on the map right now."]);
    h.game.setMarkers([{ id: 8, type: MarkerType.PatrolHelicopter, x: -200, y: 1400, rotation: 0 }]);
    expect(await say(h, h.bob, "!heli")).toEqual(["Patrol helicopter off grid to the west"]);
  });

  it("!heli names the game's grid cell (150 m cells on a 3000 m map) and the monument it is near", async () => {
    // The fake map's Outpost is at (1500, 1500): 42 m away. The old fixed 146.25 m cell said K10 here.
    h.game.setMarkers([{ id: 9, type: MarkerType.PatrolHelicopter, x: 1470, y: 1530, rotation: 0 }]);
    expect(await say(h, h.bob, "!heli")).toEqual(["Patrol helicopter at J9 near Outpost"]);
    // The last column and row of the map, not one past it.
    h.game.setMarkers([{ id: 10, type: MarkerType.PatrolHelicopter, x: 2999.9, y: 0.1, rotation: 0 }]);
    expect(await say(h, h.bob, "!heli")).toEqual(["Patrol helicopter at T19"]);
  });

  it("!events lists the map events posted in the last hour", async () => {
    const user = await h.bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: h.serverId } });
    expect(await say(h, h.bob, "!events")).toEqual(["No map events in the last hour."]);
    const at = new Date(h.clock.now).toISOString();
    await h.bot.notifier.notify({ userId: user.userId, dedupeKey: "test:cargo", event: { kind: "map-event", serverName: "Rustopia", event: "🚢 Cargo ship entered", text: "From the west.", grid: "A5", at } });
    expect(await say(h, h.bob, "!events")).toEqual([expect.stringMatching(/^🚢 Cargo ship entered at A5 \(\d+ min ago\)$/)]);
  });
});

describe("markers the server does not report", () => {
  it("!cargo and !events say the server does not report it through Rust+, instead of 'nothing on the map'", async () => {
    await h.bot.db.prisma.pairedServer.update({ where: { id: h.serverId }, data: { unreportedMarkers: ["cargo", "vending"] } });
    h.game.setMarkers([{ id: 11, type: MarkerType.PatrolHelicopter, x: 2200, y: 700, rotation: 0 }]);
    expect(await say(h, h.bob, "!cargo")).toEqual(["This server does not report the cargo ship through Rust+."]);
    expect(await say(h, h.bob, "!heli")).toEqual(["Patrol helicopter at O15"]);
    expect((await say(h, h.bob, "!events")).join(" ")).toContain("This server does not report the cargo ship and vending machines through Rust+.");
    await h.bot.db.prisma.pairedServer.update({ where: { id: h.serverId }, data: { unreportedMarkers: [] } });
    expect(await say(h, h.bob, "!cargo")).toEqual(["No cargo ship on the map right now."]);
  });
});

describe("device commands", () => {
  it("/device command gives a switch an in-game command that toggles it, or sets it with on and off", async () => {
    h.game.addEntity(5001, { type: EntityType.Switch, value: false });
    const device = await h.bot.db.prisma.smartDevice.create({ data: { pairedServerId: h.serverId, kind: "SWITCH", entityId: 5001n, name: "Main door", isOn: false } });
    const set = (name?: string) =>
      h.fake.sendCommand({ guildId: h.guildId, name: "device", subcommand: "command", options: { device: device.id, ...(name !== undefined && { name }) }, user: h.player }).then((r) => r.reply());

    expect(await set("help")).toMatchObject({ ephemeral: true, content: expect.stringContaining("one of the bot's own in-game commands") });
    expect(await set("two words")).toMatchObject({ ephemeral: true, content: expect.stringContaining("one word") });
    expect((await set("!Door")).content).toContain("`!door` now toggles Main door");

    expect(await say(h, h.bob, "!door")).toEqual(["Main door is on."]);
    expect(h.game.world.entities.get(5001)).toMatchObject({ value: true });
    expect(await say(h, h.bob, "!door off")).toEqual(["Main door is off."]);
    expect(h.game.world.entities.get(5001)).toMatchObject({ value: false });
    expect(await say(h, h.bob, "!door sideways")).toEqual(["Use !door to switch it, or add on or off."]);

    expect((await set()).content).toContain("has no in-game command now");
    expect(await say(h, h.bob, "!door")).toEqual([expect.stringContaining("!help")]);
  });
});
