// Stateless component ids: `prefix:arg:arg`. Everything a handler needs is in the id (or the database), so
// buttons and modals keep working after a restart. Every prefix is declared here, once.
export const Prefix = {
  /** family:<FAMILY>:<on|off> — switch a notification family from the /setup families panel. */
  family: "family",
  /** route:<guildId> — choose the guild whose /setup channels carry the presser's notifications. */
  route: "route",
  /** setup-remove — the confirmation modal of /setup remove delete_channels:true. */
  setupRemove: "setup-remove",
  /** credentials — the /credentials add form. */
  credentials: "credentials",
  /** server:<connect|disconnect|remove|remove-confirm>:<pairedServerId> — a paired server's buttons. */
  server: "server",
  /** device:<on|off>:<smartDeviceId> — a smart switch's buttons on its card. */
  device: "device",
  /** genes:<solve|save>:<sources>:<repeats 0|1>:<centre 0|1>:<G_Y_H_W_X weights> — the /genes solve form and its save button. */
  genes: "genes",
  /** conveyor-plan:<boxes>:<slots> — the /conveyor plan form. */
  conveyorPlan: "conveyor-plan",
  /** link-confirm:<confirm|refuse>:<token> — a Steam account's owner answering a request to move it (src/identity/link-confirm.ts). */
  linkConfirm: "link-confirm",
  /** note-clear:<pairedServerId> — confirms /note clear of every note on a server. */
  noteClear: "note-clear",
  /** map:<pairedServerId>:<layer flags, layers.ts> — a /map image's layer buttons: show the image with these layers. */
  map: "map",
  /** shop-search:<pairedServerId>:<itemId>:<s|b (sell|buy)>:<page, 0-based>[:f|l (First, Last)] — a /shop search page's buttons. */
  shopSearch: "shop-search",
} as const;

export type Prefix = (typeof Prefix)[keyof typeof Prefix];

const MAX_LENGTH = 100;

export function customId(prefix: Prefix, ...args: (string | number)[]): string {
  for (const arg of args) {
    if (String(arg).includes(":")) throw new Error(`custom id argument contains ":": ${arg}`);
  }
  const id = [prefix, ...args].join(":");
  if (id.length > MAX_LENGTH) throw new Error(`custom id over ${MAX_LENGTH} characters: ${id}`);
  return id;
}

export function parseCustomId(id: string): { prefix: string; args: string[] } {
  const [prefix = "", ...args] = id.split(":");
  return { prefix, args };
}
