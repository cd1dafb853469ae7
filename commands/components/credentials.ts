// credentials — the /credentials add form: the whole rustplus.config.json, or its fields.
import { ComponentType, TextInputStyle, time, type APIModalInteractionResponseCallbackData } from "discord.js";
import { customId, Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { saveCredentials } from "../../src/rustplus/credentials-store.ts";
import { parseCredentialFields, parsePastedConfig } from "../../src/rustplus/fcm-credentials.ts";

const FIELDS = {
  paste: { label: "Paste rustplus.config.json (or use the fields)", style: TextInputStyle.Paragraph, max: 4_000 },
  androidId: { label: "GCM android id", style: TextInputStyle.Short, max: 25 },
  securityToken: { label: "GCM security token", style: TextInputStyle.Short, max: 25 },
  steamId: { label: "Steam id", style: TextInputStyle.Short, max: 17 },
  expiresAt: { label: "Expiry date (YYYY-MM-DD)", style: TextInputStyle.Short, max: 10 },
} as const;

export function credentialsModal(): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId(Prefix.credentials),
    title: "Rust+ push credentials",
    components: Object.entries(FIELDS).map(([id, f]) => ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: id, label: f.label, style: f.style, required: false, max_length: f.max }],
    })),
  };
}

export const credentialsForm: ComponentHandler = {
  prefix: Prefix.credentials,
  async execute(interaction, _args, ctx) {
    if (!interaction.isModalSubmit()) throw new UserError("This only works from the /credentials add form.");
    const value = (id: keyof typeof FIELDS) => interaction.fields.getTextInputValue(id).trim();
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    let input;
    if (value("paste")) input = parsePastedConfig(value("paste"));
    else if (value("androidId") && value("securityToken") && value("steamId")) {
      input = parseCredentialFields({ androidId: value("androidId"), securityToken: value("securityToken"), steamId: value("steamId"), ...(value("expiresAt") && { expiresAt: value("expiresAt") }) });
    } else throw new UserError("Paste the whole rustplus.config.json, or fill in the android id, security token and Steam id.");
    const row = await saveCredentials(ctx.prisma, ctx.secrets, user, input);
    await ctx.pushes.start(user.id);
    return {
      content: `Saved, encrypted. The bot will receive pairings and alarms for Steam account ${row.steamId}${row.expiresAt ? `; they expire ${time(row.expiresAt, "R")}` : ""}.`,
      ephemeral: true,
    };
  },
};
