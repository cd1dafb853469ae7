// Push payloads in the shapes Rust+ really sends (research/rustplus.md), and garbage.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePush } from "../../src/rustplus/push-events.ts";

const server = { img: "", port: "28017", ip: "1.2.3.4", name: "My Server", id: "3b7e1c7e-0000-4000-8000-000000000000", url: "", desc: "A server" };
const push = (appData: Record<string, string>, persistentId = "0:1700000000000%7031dd") => ({
  persistentId,
  appData: Object.entries(appData).map(([key, value]) => ({ key, value })),
});

describe("parsePush", () => {
  it("reads a server pairing", () => {
    const parsed = parsePush(push({ channelId: "pairing", title: "My Server", message: "Tap to pair with this server.", body: JSON.stringify({ ...server, type: "server", playerId: "76561198000000001", playerToken: "-1234567890" }) }));
    expect(parsed).toEqual({
      ok: true,
      persistentId: "0:1700000000000%7031dd",
      event: { kind: "server-pairing", server: { ip: "1.2.3.4", port: 28017, name: "My Server" }, playerId: "76561198000000001", playerToken: -1234567890 },
    });
  });

  it("reads an entity pairing with its kind", () => {
    const parsed = parsePush(push({ channelId: "pairing", body: JSON.stringify({ ...server, type: "entity", playerId: "76561198000000001", playerToken: "42", entityId: "4294967295", entityType: "3", entityName: "Storage Monitor" }) }));
    expect(parsed.ok && parsed.event).toMatchObject({ kind: "entity-pairing", entityId: 4294967295, entityKind: "STORAGE_MONITOR", entityName: "Storage Monitor" });
  });

  it("reads alarms, plugin raid warnings, deaths, team logins and news", () => {
    const body = JSON.stringify(server);
    expect(parsePush(push({ channelId: "alarm", title: "Base alarm", message: "Motion at the front door", body }))).toMatchObject({ ok: true, event: { kind: "alarm", title: "Base alarm" } });
    expect(parsePush(push({ channelId: "alarm", title: "You're getting raided!", message: "chair destroyed at N18", body: "{}" }))).toMatchObject({ ok: true, event: { kind: "raid", server: null, message: "chair destroyed at N18" } });
    expect(parsePush(push({ channelId: "player", title: "You were killed by Bob", body: JSON.stringify({ ...server, type: "death", targetId: "76561198000000002" }) }))).toMatchObject({ ok: true, event: { kind: "death", server: { name: "My Server" }, text: "You were killed by Bob", killerSteamId: "76561198000000002" } });
    expect(parsePush(push({ channelId: "team", body: JSON.stringify({ ...server, type: "login", targetId: "76561198000000003", targetName: "Alice" }) }))).toMatchObject({ ok: true, event: { kind: "team-login", targetName: "Alice" } });
    expect(parsePush(push({ channelId: "news", title: "Update", message: "Wipe day" }))).toMatchObject({ ok: true, event: { kind: "news", title: "Update" } });
  });

  it("reads every death: the server's name stays the server's, a killer only when targetId is a Steam id", () => {
    const death = (title: string, extra: Record<string, unknown>) => parsePush(push({ channelId: "player", title, body: JSON.stringify({ ...server, type: "death", ...extra }) }));
    const event = (title: string, extra: Record<string, unknown>) => {
      const parsed = death(title, extra);
      return parsed.ok ? parsed.event : parsed.reason;
    };
    expect(event("You were killed by a Scientist", { targetId: "" })).toEqual({ kind: "death", server: { ip: "1.2.3.4", port: 28017, name: "My Server" }, text: "You were killed by a Scientist" });
    for (const targetId of [undefined, "", "0", "scientistnpc_roam", 12345, null]) expect(event("You were killed by a Wolf", { targetId })).not.toHaveProperty("killerSteamId");
    expect(event("  ", { targetId: "" })).toMatchObject({ text: "You died." });
    expect(event("", { targetId: "76561198000000002" })).toMatchObject({ text: "You were killed by another player.", killerSteamId: "76561198000000002" });
    expect(death("You died", { type: "somethingelse" })).toMatchObject({ ok: false, reason: "malformed death body" });
    expect(parsePush(push({ channelId: "player", title: "You died", body: "{}" }))).toMatchObject({ ok: false, reason: "malformed death body" });
  });

  it("drops U+0000 and other control characters from every name and text (PostgreSQL cannot store a NUL)", () => {
    const nul = "\u0000";
    const pairing = parsePush(push({ channelId: "pairing", body: JSON.stringify({ ...server, name: `My${nul} Server\u0007`, type: "entity", playerId: "76561198000000001", playerToken: "42", entityId: "7", entityType: "1", entityName: `Door${nul}` }) }));
    expect(pairing.ok && pairing.event).toMatchObject({ server: { name: "My Server" }, entityName: "Door" });
    const alarm = parsePush(push({ channelId: "alarm", title: `Base${nul} alarm`, message: `Motion${nul}\nat the door`, body: JSON.stringify(server) }));
    expect(alarm.ok && alarm.event).toMatchObject({ title: "Base alarm", message: "Motion\nat the door" });
    const login = parsePush(push({ channelId: "team", body: JSON.stringify({ ...server, type: "login", targetId: "76561198000000003", targetName: `Al${nul}ice` }) }));
    expect(login.ok && login.event).toMatchObject({ targetName: "Alice" });
    // The id is stored as the push's receipt: one holding a NUL is not kept.
    expect(parsePush(push({ channelId: "news", title: "x" }, `0:1${nul}`))).toEqual({ ok: false, persistentId: null, reason: "not a push data message" });
  });

  it("refuses malformed and unknown pushes with a reason", () => {
    expect(parsePush(push({ channelId: "pairing", body: "{not json" }))).toMatchObject({ ok: false, reason: expect.stringContaining("malformed pairing body") });
    expect(parsePush(push({ channelId: "pairing", body: JSON.stringify({ ...server, type: "server", playerId: "123", playerToken: "1" }) }))).toMatchObject({ ok: false });
    expect(parsePush(push({ channelId: "pairing", body: JSON.stringify({ ...server, port: "99999", type: "server", playerId: "76561198000000001", playerToken: "1" }) }))).toMatchObject({ ok: false });
    expect(parsePush(push({ channelId: "pairing", body: JSON.stringify({ ...server, type: "server", playerId: "76561198000000001", playerToken: "99999999999" }) }))).toMatchObject({ ok: false });
    expect(parsePush(push({ channelId: "mystery" }))).toMatchObject({ ok: false, reason: expect.stringContaining("unknown channel") });
    expect(parsePush(null)).toEqual({ ok: false, persistentId: null, reason: "not a push data message" });
  });

  it("never throws, whatever arrives", () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        expect(() => parsePush(raw)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("channelId", "title", "message", "body"), fc.oneof(fc.string(), fc.json())), (appData) => {
        expect(() => parsePush(push(appData))).not.toThrow();
      }),
    );
  });
});
