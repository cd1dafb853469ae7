// A stored Discord message as the page draws it: its attachments served by the playground (as Discord's CDN
// serves them), `attachment://` images in embeds resolved to those, and the names its mentions need, resolved
// when it is sent (the page keeps no member or role list of its own).
import { MessageFlags, type APIEmbed, type APIMessage, type APIMessageTopLevelComponent } from "discord-api-types/v10";

export interface PageAttachment {
  id: string;
  filename: string;
  /** Served by the playground: /attachments/<id>/<filename>. */
  url: string;
  contentType: string | null;
  size: number;
  /** Shown by an embed (`attachment://filename`): Discord then does not list it under the message. */
  inEmbed: boolean;
}

export interface PageMessage {
  id: string;
  channelId: string;
  author: { id: string; name: string; bot: boolean };
  content: string;
  /** ISO 8601. */
  timestamp: string;
  edited: string | null;
  embeds: APIEmbed[];
  attachments: PageAttachment[];
  components: APIMessageTopLevelComponent[];
  /** Only the interaction's user sees it ("Only you can see this"). */
  ephemeral: boolean;
  /** A deferred reply not written yet ("Bot is thinking…"). */
  loading: boolean;
  /** A reply to an interaction: who did it, and what when the page sent it ("used /setup run", "pressed On"). */
  interaction: { user: string; action: string | null } | null;
  /** Display names for the mentions in content and embeds: "@<id>" users, "@&<id>" roles, "#<id>" channels. */
  names: Record<string, string>;
}

export interface NameSource {
  user(id: string): string | undefined;
  role(id: string): string | undefined;
  channel(id: string): string | undefined;
}

/** The fake CDN URLs of the attachments the page was shown, by the playground's path for them. */
export class AttachmentIndex {
  readonly #byPath = new Map<string, { url: string; contentType: string | null }>();

  constructor(private readonly limit = 500) {}

  /** The playground's path for an attachment at `url`, remembered so it can be served. */
  add(id: string, filename: string, url: string, contentType: string | null): string {
    const path = `/attachments/${id}/${encodeURIComponent(filename)}`;
    this.#byPath.delete(path);
    this.#byPath.set(path, { url, contentType });
    if (this.#byPath.size > this.limit) this.#byPath.delete(this.#byPath.keys().next().value!);
    return path;
  }

  get(path: string): { url: string; contentType: string | null } | undefined {
    return this.#byPath.get(path);
  }
}

const MENTION = /<(@!?|@&|#)(\d{5,20})>/g;

/** Every text of a message that Discord renders markdown (and so mentions) in. */
function texts(message: APIMessage): string[] {
  return [
    message.content,
    ...message.embeds.flatMap((e) => [e.title, e.description, e.footer?.text, e.author?.name, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
  ].filter((t): t is string => typeof t === "string");
}

export function toPageMessage(message: APIMessage, names: NameSource, attachments: AttachmentIndex, actionOf: (interactionId: string) => string | undefined): PageMessage {
  const local = new Map(message.attachments.map((a) => [a.filename, attachments.add(a.id, a.filename, a.url, a.content_type ?? null)]));
  const embedded = new Set<string>();
  const resolve = (url: string | undefined): string | undefined => {
    if (!url?.startsWith("attachment://")) return url;
    const filename = url.slice("attachment://".length);
    embedded.add(filename);
    return local.get(filename);
  };
  const embeds = message.embeds.map((embed) => {
    const copy = structuredClone(embed);
    if (copy.image) copy.image = { ...copy.image, url: resolve(copy.image.url) ?? "" };
    if (copy.thumbnail) copy.thumbnail = { ...copy.thumbnail, url: resolve(copy.thumbnail.url) ?? "" };
    return copy;
  });
  const found: Record<string, string> = {};
  for (const text of texts(message)) {
    for (const [, kind = "", id = ""] of text.matchAll(MENTION)) {
      const key = kind === "@&" ? `@&${id}` : kind === "#" ? `#${id}` : `@${id}`;
      const name = kind === "@&" ? names.role(id) : kind === "#" ? names.channel(id) : names.user(id);
      if (name !== undefined) found[key] = name;
    }
  }
  const metadata = message.interaction_metadata;
  const flags = message.flags ?? 0;
  return {
    id: message.id,
    channelId: message.channel_id,
    author: { id: message.author.id, name: message.author.global_name ?? message.author.username, bot: message.author.bot === true },
    content: message.content,
    timestamp: message.timestamp,
    edited: message.edited_timestamp,
    embeds,
    attachments: message.attachments.map((a) => ({
      id: a.id, filename: a.filename, url: local.get(a.filename) ?? "", contentType: a.content_type ?? null, size: a.size, inEmbed: embedded.has(a.filename),
    })),
    components: structuredClone(message.components ?? []),
    ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
    loading: (flags & MessageFlags.Loading) !== 0,
    interaction: metadata ? { user: metadata.user.global_name ?? metadata.user.username, action: actionOf(metadata.id) ?? null } : null,
    names: found,
  };
}
