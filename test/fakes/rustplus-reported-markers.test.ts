// The fake Rust+ server sends only the marker types it is set to report, as real servers do (locked crates and
// explosions never since 2023; on official servers no events or vending machines since August 2026), through the
// real rustplus.js client.
import { once } from "node:events";
import RustPlus from "@liamcottle/rustplus.js";
import { afterEach, describe, expect, it } from "vitest";
import type { RustPlusClient } from "./rustplus/client-types.ts";
import { DEFAULT_REPORTED_MARKERS, FakeRustServer, MarkerType, OFFICIAL_2026_REPORTED_MARKERS, type Marker } from "./rustplus/index.ts";

const ME = "76561198000000001";
const TOKEN = -1234567890;
let server: FakeRustServer | undefined;
let rp: RustPlusClient | undefined;

const onTheMap: Marker[] = [
  { id: 1, type: MarkerType.Player, x: 100, y: 100, steamId: ME },
  { id: 2, type: MarkerType.Explosion, x: 200, y: 200 },
  { id: 3, type: MarkerType.VendingMachine, x: 1500, y: 1400, name: "Outpost", outOfStock: false, sellOrders: [] },
  { id: 4, type: MarkerType.CH47, x: 300, y: 300 },
  { id: 5, type: MarkerType.CargoShip, x: -100, y: 800 },
  { id: 6, type: MarkerType.Crate, x: 400, y: 400 },
  { id: 8, type: MarkerType.PatrolHelicopter, x: 500, y: 500 },
  { id: 9, type: MarkerType.TravelingVendor, x: 600, y: 600 },
];

async function markerTypes(reportedMarkers?: readonly number[]): Promise<number[]> {
  server = await FakeRustServer.start({ players: [{ steamId: ME, playerToken: TOKEN }], world: { markers: onTheMap, ...(reportedMarkers && { reportedMarkers }) } });
  rp = new RustPlus("127.0.0.1", server.port, ME, TOKEN);
  rp.on("error", () => undefined);
  const connected = once(rp, "connected");
  rp.connect();
  await connected;
  const markers = (await rp.sendRequestAsync({ getMapMarkers: {} })).mapMarkers?.markers ?? [];
  return markers.map((m) => m.type);
}

afterEach(async () => {
  rp?.disconnect();
  await server?.close();
  expect(server?.faults).toEqual([]);
});

describe("reported marker types", () => {
  it("by default sends everything but locked crates and explosions", async () => {
    expect(await markerTypes()).toEqual([1, 3, 4, 5, 8, 9]);
    expect([...DEFAULT_REPORTED_MARKERS].sort()).toEqual([1, 3, 4, 5, 7, 8, 9]);
  });

  it("as an official server since August 2026, sends players only; switched back at run time, sends the rest again", async () => {
    expect(await markerTypes(OFFICIAL_2026_REPORTED_MARKERS)).toEqual([1]);
    server!.world.reportedMarkers = new Set(DEFAULT_REPORTED_MARKERS);
    const markers = (await rp!.sendRequestAsync({ getMapMarkers: {} })).mapMarkers?.markers ?? [];
    expect(markers.map((m) => m.type)).toEqual([1, 3, 4, 5, 8, 9]);
  });

  it("keeps what it reports across a wipe", async () => {
    await markerTypes(OFFICIAL_2026_REPORTED_MARKERS);
    server!.wipe({ markers: onTheMap });
    expect([...server!.world.reportedMarkers]).toEqual([...OFFICIAL_2026_REPORTED_MARKERS]);
  });
});
