// A map image as a Discord reply: the PNG attached, a line on what is shown, and a button per layer whose custom
// id carries the server and the layer set the press would show (see layers.ts).
import { AttachmentBuilder, ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from "discord.js";
import { customId, Prefix } from "../bot/custom-ids.ts";
import type { Reply } from "../bot/types.ts";
import { encodeLayers, LAYER_LABELS, LAYERS, toggled, type LayerSet } from "./layers.ts";
import type { RenderedMap } from "./map-service.ts";

export const MAP_FILE_NAME = "map.png";

export function layerButtons(serverId: string, layers: LayerSet): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const buttons = LAYERS.map((layer) => ({
    type: ComponentType.Button as const,
    style: layers.has(layer) ? (ButtonStyle.Primary as const) : (ButtonStyle.Secondary as const),
    label: LAYER_LABELS[layer],
    custom_id: customId(Prefix.map, serverId, encodeLayers(toggled(layers, layer))),
  }));
  return [
    { type: ComponentType.ActionRow, components: buttons.slice(0, 3) },
    { type: ComponentType.ActionRow, components: buttons.slice(3) },
  ];
}

export function mapReply(serverId: string, serverName: string, layers: LayerSet, rendered: RenderedMap): Omit<Reply, "ephemeral"> {
  const missing = [
    layers.has("team") && rendered.content.team === null ? "team" : "",
    (layers.has("events") || layers.has("shops")) && rendered.content.markers === null ? "markers" : "",
  ].filter(Boolean);
  const note = missing.length ? ` (the server did not answer for: ${missing.join(", ")})` : "";
  return {
    content: `**${serverName}**: ${LAYERS.filter((l) => layers.has(l)).join(", ") || "map only"}${note}`,
    files: [new AttachmentBuilder(rendered.png, { name: MAP_FILE_NAME })],
    components: layerButtons(serverId, layers),
  };
}
