// Who and what is in the playground's simulated Rust server: the server, "you" and your team, your base and
// its smart devices, the monuments and the shops. Numbers are as the game gives them (rustplus.proto shapes,
// research/rustplus.md): Steam ids 7656…, map metres with x east and y north, item ids from gamedata/items.json.
import { EntityType, MarkerType, type Entity, type Item, type Marker, type Monument, type SellOrder, type ServerInfo, type TeamMember } from "../../test/fakes/rustplus/index.ts";

export const SERVER_INFO: Partial<ServerInfo> = {
  name: "Rusty Moose |EU Playground|",
  url: "https://example.org/playground",
  map: "Procedure Map",
  mapSize: 3000,
  players: 87,
  maxPlayers: 200,
};
/** What the pairing push's body carries as the server's description. */
export const SERVER_DESC = "The playground's simulated server: it moves on its own, and the game panel acts on it.";

/** Map metres. Where your base stands (on the grid, east of the Outpost). */
export const BASE = { x: 2060, y: 1180 };

/** Monument tokens as getMap sends them (src/events/monuments.ts knows their names). */
export const MONUMENTS: Monument[] = [
  { token: "outpost", x: 1500, y: 1500 },
  { token: "bandit_camp", x: 820, y: 930 },
  { token: "launchsite", x: 700, y: 2300 },
  { token: "airfield_display_name", x: 2280, y: 2180 },
  { token: "power_plant_display_name", x: 1880, y: 620 },
  { token: "train_yard_display_name", x: 1120, y: 2020 },
  { token: "harbor_display_name", x: 380, y: 1580 },
  { token: "dome_monument_name", x: 2560, y: 1520 },
  { token: "large_oil_rig", x: 2880, y: 260 },
  { token: "oil_rig_small", x: 160, y: 2760 },
];

export const monument = (token: string): Monument => MONUMENTS.find((m) => m.token === token) ?? MONUMENTS[0]!;

export interface CastMember {
  steamId: string;
  name: string;
  /** Online when the world starts. */
  online: boolean;
  /** Where an online member walks between (monument tokens; "base" is home). */
  haunts: string[];
}

/** "You": the player whose Rust+ companion app the bot gets pushes from. */
export const YOU: CastMember = { steamId: "76561198040000001", name: "Wren", online: true, haunts: ["base"] };
export const TEAMMATES: CastMember[] = [
  { steamId: "76561198040000002", name: "Rook", online: true, haunts: ["base", "outpost", "power_plant_display_name"] },
  { steamId: "76561198040000003", name: "Mara", online: true, haunts: ["base", "bandit_camp", "harbor_display_name", "train_yard_display_name"] },
  { steamId: "76561198040000004", name: "Jonas", online: false, haunts: ["base", "dome_monument_name"] },
];
export const CAST = [YOU, ...TEAMMATES];

/** A few metres apart around the base, so the team's dots do not sit on one another. */
export function atBase(index: number): { x: number; y: number } {
  return { x: BASE.x + 6 * Math.cos(index * 2.1), y: BASE.y + 6 * Math.sin(index * 2.1) };
}

export function teamMembers(nowSeconds: number): TeamMember[] {
  return CAST.map((c, i) => ({ steamId: c.steamId, name: c.name, ...atBase(i), isOnline: c.online, spawnTime: nowSeconds - 3_600, isAlive: true, deathTime: 0 }));
}

export type DeviceKind = "switch" | "alarm" | "storage";

export interface BaseDevice {
  kind: DeviceKind;
  /** What the game panel calls it. */
  name: string;
  /** The game's own name for the entity, which its pairing push carries (research/rustplus.md). */
  entityName: string;
}

/** Your base's smart devices, in the order the panel lists them. */
export const BASE_DEVICES: BaseDevice[] = [
  { kind: "switch", name: "Lights", entityName: "Smart Switch" },
  { kind: "switch", name: "Auto turrets", entityName: "Smart Switch" },
  { kind: "alarm", name: "Raid alarm", entityName: "Smart Alarm" },
  { kind: "storage", name: "Tool cupboard", entityName: "Storage Monitor" },
];

/** The smart alarm's notification texts: in game, its owner sets the title and message its push shows. */
export const ALARM_TEXT = { message: "Your base is under attack!" };

/** Item ids from gamedata/items.json. */
export const ITEM = {
  scrap: -932201673, wood: -151838493, stones: -2099697608, metalFragments: 69511070, hqm: 317398316, sulfur: -1581843485,
  lowGradeFuel: -946369541, rifleAmmo: -1211166256, rocket: -742865266, ak: 1545779598, c4: 1248356124, syringe: 1079279582, cloth: -858312878,
} as const;

/** Stack sizes (gamedata/items.json) of what the tool cupboard holds. */
const STACK: Record<number, number> = { [ITEM.wood]: 1_000, [ITEM.stones]: 1_000, [ITEM.metalFragments]: 1_000, [ITEM.hqm]: 100 };

/**
 * Totals as a storage monitor lists them: one entry per inventory slot, each at most a stack (the bot adds them up
 * per item). The order of `totals` is the slots' order.
 */
export function slots(totals: Map<number, number>): Item[] {
  const items: Item[] = [];
  for (const [itemId, total] of totals) {
    const stack = STACK[itemId] ?? 1_000;
    for (let left = total; left > 0; left -= stack) items.push({ itemId, quantity: Math.min(stack, left), itemIsBlueprint: false });
  }
  return items;
}

/** An entity as the game holds it: switches off, the alarm quiet, the cupboard stocked with upkeep for a day. */
export function entityOf(kind: DeviceKind, nowSeconds: number): Entity {
  if (kind === "switch") return { type: EntityType.Switch, value: false };
  if (kind === "alarm") return { type: EntityType.Alarm, value: false };
  return {
    type: EntityType.StorageMonitor,
    // 29: a tool cupboard (research/rustplus.md: storage monitor capacity 29 = tool cupboard).
    capacity: 29,
    items: slots(new Map([[ITEM.wood, 4_000], [ITEM.stones, 6_500], [ITEM.metalFragments, 2_200], [ITEM.hqm, 60]])),
    hasProtection: true,
    protectionExpiry: nowSeconds + 26 * 3_600,
  };
}

export const sellOrder = (itemId: number, quantity: number, currencyId: number, costPerItem: number, amountInStock: number): SellOrder => ({
  itemId, quantity, currencyId, costPerItem, amountInStock, itemIsBlueprint: false, currencyIsBlueprint: false,
});

/** A vending machine marker; `outOfStock` as the game computes it (no order with a purchase left). */
export function vendingMachine(id: number, at: { x: number; y: number }, name: string, orders: SellOrder[]): Marker {
  return { id, type: MarkerType.VendingMachine, x: at.x, y: at.y, name, outOfStock: !orders.some((o) => o.amountInStock > 0), sellOrders: orders };
}

/** The shops on the map when the world starts (or after a wipe: only the Outpost's, the players' come later). */
export function startingShops(firstId: number, afterWipe = false): Marker[] {
  const outpost = monument("outpost");
  const npc = vendingMachine(firstId, { x: outpost.x - 24, y: outpost.y + 14 }, "", [
    sellOrder(ITEM.lowGradeFuel, 20, ITEM.scrap, 10, 100),
    sellOrder(ITEM.syringe, 1, ITEM.scrap, 15, 100),
  ]);
  if (afterWipe) return [npc];
  return [
    npc,
    vendingMachine(firstId + 1, { x: 1320, y: 1160 }, "Boom Supplies", [
      sellOrder(ITEM.sulfur, 1_000, ITEM.scrap, 150, 6),
      sellOrder(ITEM.rocket, 1, ITEM.hqm, 40, 2),
    ]),
    vendingMachine(firstId + 2, { x: 2440, y: 1880 }, "Wood for Scrap", [
      sellOrder(ITEM.wood, 1_000, ITEM.scrap, 30, 12),
      sellOrder(ITEM.cloth, 100, ITEM.scrap, 20, 0),
    ]),
  ];
}

/** Names and wares of shops that open during the demo ("new-shop"). */
export const NEW_SHOPS: { name: string; orders: SellOrder[] }[] = [
  { name: "Ammo Depot", orders: [sellOrder(ITEM.rifleAmmo, 64, ITEM.scrap, 45, 8)] },
  { name: "HQM Exchange", orders: [sellOrder(ITEM.hqm, 50, ITEM.scrap, 120, 5), sellOrder(ITEM.metalFragments, 1_000, ITEM.scrap, 60, 9)] },
  { name: "Big AK Energy", orders: [sellOrder(ITEM.ak, 1, ITEM.scrap, 500, 1)] },
  { name: "Fuel Stop", orders: [sellOrder(ITEM.lowGradeFuel, 100, ITEM.scrap, 25, 20)] },
];

/** What teammates say in team chat now and then. */
export const CHATTER = [
  "heading out to farm sulfur",
  "anyone got scrap? need 50 for a tech tree unlock",
  "back at base, dropping loot in the TC",
  "someone's running around outside, careful",
  "furnaces are full, grab the frags when you can",
  "going to outpost to sell stuff",
  "heard shots near the train yard",
  "I'll do the upkeep tonight",
];

/** Lines that fit what just happened on the map (said a little after it). */
export const EVENT_CHATTER: Record<string, string> = {
  cargo: "cargo's in, anyone want to hit it?",
  heli: "heli's up, stay inside",
  chinook: "chinook heading to the oil rig",
  night: "getting dark, grab a torch",
  day: "sun's up",
};
