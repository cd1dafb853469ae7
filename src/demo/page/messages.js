// The Discord half of the page: the channel list and the selected channel's messages, with embeds, images,
// mentions and working buttons and menus. Messages are drawn one element each, replaced when they change, so a
// live edit never resets the rest of the list.
import { avatarColour, compareIds, h, initials } from "./dom.js";
import { markdown } from "./markdown.js";

const CHANNEL_ICON = { text: "#", category: "", dm: "@" };

/** The list on the left: channels outside categories, then each category with its channels, then the DM. */
export function renderChannels(app) {
  const list = document.querySelector("[data-testid=channel-list]");
  const channels = [...app.channels.values()];
  const byPosition = (a, b) => a.position - b.position || compareIds(a.id, b.id);
  const item = (channel) =>
    h(
      "button",
      {
        type: "button", class: `channel${app.unread.has(channel.id) ? " unread" : ""}`, "data-testid": "channel", "data-channel-id": channel.id,
        "data-channel-name": channel.name, "data-kind": channel.kind, "aria-current": channel.id === app.selected ? "true" : "false",
        onclick: () => app.select(channel.id),
      },
      channel.kind === "dm" ? h("span", { class: "dm-avatar" }, initials(channel.name)) : h("span", { class: "channel-icon" }, CHANNEL_ICON[channel.kind]),
      h("span", {}, channel.name),
    );
  const loose = channels.filter((c) => c.kind === "text" && (!c.parentId || !app.channels.has(c.parentId))).sort(byPosition);
  const categories = channels.filter((c) => c.kind === "category").sort(byPosition);
  const dms = channels.filter((c) => c.kind === "dm");
  list.replaceChildren(
    ...loose.map(item),
    ...categories.flatMap((category) => [
      h("div", { class: "category", "data-testid": "category", "data-channel-id": category.id }, category.name),
      ...channels.filter((c) => c.kind === "text" && c.parentId === category.id).sort(byPosition).map(item),
    ]),
    ...(dms.length ? [h("div", { class: "category" }, "Direct messages"), ...dms.map(item)] : []),
  );
  if (channels.length === 0) list.append(h("div", { class: "empty" }, "No channels yet."));
}

/** The header over the messages: the selected channel's name and topic. */
export function renderHeader(app) {
  const channel = app.channels.get(app.selected);
  document.querySelector("[data-testid=channel-title]").textContent = channel ? channel.name : "no channel";
  document.querySelector("[data-testid=channel-topic]").textContent = channel?.topic ?? "";
  document.querySelector(".chat-hash").textContent = channel?.kind === "dm" ? "@" : "#";
  const input = document.querySelector("[data-testid=command-input]");
  input.placeholder = channel ? `Message ${channel.kind === "dm" ? "@" : "#"}${channel.name} — type / for a command` : "Type / for a command";
}

const messagesBox = () => document.querySelector("[data-testid=messages]");
const nearBottom = (box) => box.scrollHeight - box.scrollTop - box.clientHeight < 80;
/** Whether the list follows new messages: it does while the user has not scrolled up. */
let following = true;
document.querySelector("[data-testid=messages]").addEventListener("scroll", (event) => { following = nearBottom(event.currentTarget); });
/** An image that loads after its message was drawn grows the list: keep the newest in view if following. */
const keepFollowing = () => { if (following) messagesBox().scrollTop = messagesBox().scrollHeight; };

/** Every message of the selected channel, drawn anew (on selecting a channel or a new snapshot). */
export function renderMessages(app) {
  const box = messagesBox();
  const list = [...app.messages.values()].filter((m) => m.channelId === app.selected).sort((a, b) => compareIds(a.id, b.id));
  box.replaceChildren(...list.map((m) => messageEl(app, m)));
  if (list.length === 0) box.append(h("div", { class: "empty", "data-testid": "no-messages" }, "No messages here yet."));
  box.scrollTop = box.scrollHeight;
  following = true;
}

/** One message created or edited: replaced in place, or inserted in id order (only if its channel is shown). */
export function upsertMessage(app, message) {
  if (message.channelId !== app.selected) return;
  const box = messagesBox();
  const follow = nearBottom(box);
  box.querySelector("[data-testid=no-messages]")?.remove();
  const el = messageEl(app, message);
  const old = box.querySelector(`[data-message-id="${message.id}"]`);
  if (old) old.replaceWith(el);
  else {
    const after = [...box.children].find((child) => child.dataset.messageId && compareIds(child.dataset.messageId, message.id) > 0);
    box.insertBefore(el, after ?? null);
  }
  if (follow) {
    box.scrollTop = box.scrollHeight;
    following = true;
  }
}

export function removeMessage(messageId) {
  messagesBox().querySelector(`[data-message-id="${messageId}"]`)?.remove();
}

function timeOf(iso) {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  const clock = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  return today ? `Today at ${clock}` : `${date.toLocaleDateString("en-GB")} ${clock}`;
}

function messageEl(app, m) {
  const body = h(
    "div",
    { class: "message-body" },
    h(
      "div",
      { class: "message-head" },
      h("span", { class: "author", "data-testid": "message-author" }, m.author.name),
      m.author.bot ? h("span", { class: "app-tag" }, "APP") : null,
      h("time", { class: "message-time", datetime: m.timestamp }, timeOf(m.timestamp)),
    ),
  );
  if (m.loading) body.append(h("div", { class: "thinking", "data-testid": "thinking" }, `${m.author.name} is thinking…`));
  else {
    if (m.content) {
      const content = h("div", { class: "content", "data-testid": "message-content", html: markdown(m.content, m.names) });
      if (m.edited) content.append(h("span", { class: "edited", title: m.edited }, "(edited)"));
      body.append(content);
    }
    for (const embed of m.embeds) body.append(embedEl(embed, m.names));
    for (const attachment of m.attachments.filter((a) => !a.inEmbed)) body.append(attachmentEl(attachment));
    body.append(...componentsEl(app, m));
  }
  if (app.failed.has(m.id)) body.append(h("div", { class: "interaction-failed", "data-testid": "interaction-failed" }, "This interaction failed: the application did not respond."));
  if (m.ephemeral) {
    body.append(
      h(
        "div",
        { class: "ephemeral-note", "data-testid": "ephemeral-note" },
        "👁 Only you can see this • ",
        h("button", { type: "button", onclick: () => app.dismiss(m.id) }, "Dismiss message"),
      ),
    );
  }
  const avatar = h("div", { class: "avatar", "aria-hidden": "true" }, initials(m.author.name));
  avatar.style.background = avatarColour(m.author.id);
  return h(
    "article",
    {
      class: `message${m.ephemeral ? " ephemeral" : ""}`, "data-testid": "message", "data-message-id": m.id, "data-ephemeral": String(m.ephemeral),
      "data-author": m.author.name,
    },
    m.interaction
      ? h("div", { class: "reply-context", "data-testid": "reply-context" }, h("strong", {}, m.interaction.user), ` ${m.interaction.action ?? "used a command"}`)
      : null,
    avatar,
    body,
  );
}

/** Only images the playground serves (attachments) can be shown: the page fetches nothing from elsewhere. */
function imageEl(url, alt, testid) {
  if (typeof url === "string" && url.startsWith("/attachments/")) return h("img", { src: url, alt, "data-testid": testid, onload: keepFollowing });
  return h("div", { class: "image-missing" }, `Image not shown (outside the playground): ${url || "no URL"}`);
}

function embedEl(embed, names) {
  const main = h("div", { class: "embed-main" });
  if (embed.author?.name) main.append(h("div", { class: "embed-author" }, embed.author.name));
  if (embed.title) {
    const title = markdown(embed.title, names);
    main.append(
      embed.url
        ? h("div", { class: "embed-title", "data-testid": "embed-title" }, h("a", { href: embed.url, target: "_blank", rel: "noopener noreferrer", html: title }))
        : h("div", { class: "embed-title", "data-testid": "embed-title", html: title }),
    );
  }
  if (embed.description) main.append(h("div", { class: "embed-description", "data-testid": "embed-description", html: markdown(embed.description, names) }));
  if (embed.fields?.length) {
    main.append(
      h(
        "div",
        { class: "embed-fields" },
        embed.fields.map((f) =>
          h(
            "div",
            { class: `embed-field${f.inline ? " inline" : ""}`, "data-testid": "embed-field" },
            h("div", { class: "embed-field-name", html: markdown(f.name, names) }),
            h("div", { class: "embed-field-value", html: markdown(f.value, names) }),
          ),
        ),
      ),
    );
  }
  if (embed.image?.url) main.append(h("div", { class: "embed-image" }, imageEl(embed.image.url, embed.title ?? "image", "embed-image")));
  const footer = [embed.footer?.text, embed.timestamp ? timeOf(embed.timestamp) : null].filter(Boolean).join(" • ");
  if (footer) main.append(h("div", { class: "embed-footer", "data-testid": "embed-footer" }, footer));
  const el = h(
    "div",
    { class: "embed", "data-testid": "embed" },
    main,
    embed.thumbnail?.url ? h("div", { class: "embed-thumbnail" }, imageEl(embed.thumbnail.url, "thumbnail", "embed-thumbnail")) : null,
  );
  if (typeof embed.color === "number") el.style.borderLeftColor = `#${embed.color.toString(16).padStart(6, "0")}`;
  return el;
}

function attachmentEl(a) {
  if (a.contentType?.startsWith("image/")) return h("div", { class: "attachment" }, imageEl(a.url, a.filename, "attachment-image"));
  return h("div", { class: "attachment file" }, h("a", { href: a.url, download: a.filename, "data-testid": "attachment-file" }, `📎 ${a.filename} (${Math.ceil(a.size / 1024)} KB)`));
}

const emojiText = (emoji) => (emoji ? (emoji.id ? `:${emoji.name}:` : emoji.name) : null);

/** Action rows: buttons (link buttons open their page) and menus of choices; others are named but inert. */
function componentsEl(app, m) {
  return (m.components ?? [])
    .filter((row) => row.type === 1)
    .map((row) =>
      h(
        "div",
        { class: "component-row" },
        row.components.map((c) => {
          if (c.type === 2 && c.style === 5) {
            return c.disabled
              ? h("button", { type: "button", class: "btn style-5", disabled: true, "data-testid": "message-link-button" }, emojiText(c.emoji), c.label)
              : h("a", { class: "btn style-5", href: c.url, target: "_blank", rel: "noopener", "data-testid": "message-link-button" }, emojiText(c.emoji), c.label);
          }
          if (c.type === 2) {
            return h(
              "button",
              {
                type: "button", class: `btn style-${c.style}`, disabled: c.disabled === true, "data-testid": "message-button", "data-custom-id": c.custom_id,
                onclick: (event) => app.press(m, c.custom_id, undefined, event.currentTarget),
              },
              emojiText(c.emoji), c.label,
            );
          }
          if (c.type === 3) return selectEl(app, m, c);
          return h("span", { class: "muted" }, "(a component the playground does not draw)");
        }),
      ),
    );
}

function selectEl(app, m, c) {
  const multiple = (c.max_values ?? 1) > 1;
  const select = h(
    "select",
    { class: "select", "data-testid": "message-select", "data-custom-id": c.custom_id, disabled: c.disabled === true, multiple, "aria-label": c.placeholder ?? "Choose" },
    multiple ? null : h("option", { value: "", disabled: true, selected: !c.options.some((o) => o.default) }, c.placeholder ?? "Make a selection"),
    c.options.map((o) => h("option", { value: o.value, selected: o.default === true, title: o.description ?? "" }, [emojiText(o.emoji), o.label].filter(Boolean).join(" "))),
  );
  if (!multiple) {
    select.addEventListener("change", () => app.press(m, c.custom_id, [select.value], select));
    return select;
  }
  const apply = h("button", { type: "button", class: "btn style-1", disabled: c.disabled === true }, "Choose");
  apply.addEventListener("click", () => app.press(m, c.custom_id, [...select.selectedOptions].map((o) => o.value), apply));
  return h("div", {}, select, apply);
}
