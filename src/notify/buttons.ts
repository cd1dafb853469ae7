// Buttons a notification or live message carries: one action row of up to 5. The custom ids follow
// src/bot/custom-ids.ts (`prefix:arg:arg`), so a click reaches a component handler even after a restart.
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from "discord-api-types/v10";
import { z } from "zod";
import { fitText } from "../bot/fit-text.ts";

const STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, success: ButtonStyle.Success, danger: ButtonStyle.Danger } as const;

export const notificationButton = z.object({
  customId: z.string().min(1).max(100),
  label: z.string().overwrite((s) => fitText(s.trim(), 80)).min(1),
  style: z.enum(["primary", "secondary", "danger", "success"]),
});

export const notificationButtons = z
  .array(notificationButton)
  .min(1)
  .max(5)
  // Discord rejects a message whose components share a custom id.
  .refine((buttons) => new Set(buttons.map((b) => b.customId)).size === buttons.length, "button custom ids must be unique");

export type NotificationButton = z.infer<typeof notificationButton>;

export function actionRow(buttons: readonly NotificationButton[]): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: buttons.map((b) => ({ type: ComponentType.Button, style: STYLES[b.style], custom_id: b.customId, label: b.label })),
  };
}
