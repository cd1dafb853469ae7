// The playground page: the demo guild as the demo user's Discord client shows it (left and middle), the game
// (right), and the guided script. Everything is live: one Server-Sent Events stream sends the whole state on
// (re)connect, then every change; nothing here polls or reloads.
import { initComposer, openModal } from "./composer.js";
import { compareIds, post, toast } from "./dom.js";
import { initGame, logGame } from "./game.js";
import { initGuide } from "./guide.js";
import { refreshRelativeTimes } from "./markdown.js";
import { removeMessage, renderChannels, renderHeader, renderMessages, upsertMessage } from "./messages.js";

const app = {
  guild: null,
  user: null,
  bot: null,
  /** PageChannel by id (categories, text channels, the DM with the bot). */
  channels: new Map(),
  /** PageMessage by id, every channel's. */
  messages: new Map(),
  commands: [],
  world: null,
  selected: null,
  unread: new Set(),
  /** Ephemeral messages the user dismissed: the server still has them (it sends them again on a reconnect). */
  dismissed: new Set(),
  /** Messages whose interaction got no answer in time. */
  failed: new Set(),
  /** What register-companion gave, to paste into /credentials add. */
  companionJson: null,
  /** Values for the next modal's fields, by custom id. */
  prefill: null,
  /** A switch button pressed on a card: what it asked for, and the switches' states then. */
  switchWatch: null,
  switchFollowed: false,
};

const composer = initComposer(app);
const renderGame = initGame(app);
const renderGuide = initGuide(app);

app.select = (channelId) => {
  if (!app.channels.has(channelId) || app.channels.get(channelId).kind === "category") return;
  app.selected = channelId;
  app.unread.delete(channelId);
  renderChannels(app);
  renderHeader(app);
  renderMessages(app);
};

/** Selects #name; says so when it does not exist yet (unless `quiet`). */
app.selectByName = (name, quiet = false) => {
  const channel = [...app.channels.values()].find((c) => c.kind === "text" && c.name === name);
  if (channel) app.select(channel.id);
  else if (!quiet) toast(`There is no #${name} yet: run /setup run first.`);
};

/** A text channel of the guild to run guild commands in: the selected one, else #general, else the first. */
function guildChannel() {
  const selected = app.channels.get(app.selected);
  if (selected?.kind === "text") return selected.id;
  const texts = [...app.channels.values()].filter((c) => c.kind === "text");
  return (texts.find((c) => c.name === "general") ?? texts[0])?.id ?? null;
}

app.runInGuild = async (name, subcommand, options) => {
  const channel = guildChannel();
  if (!channel) return toast("The server has no text channel to run commands in.");
  if (channel !== app.selected) app.select(channel);
  await composer.runCommand(name, subcommand, options);
};

app.interactionDone = (outcome, messageId) => {
  if (outcome.modal) openModal(app, outcome.modal);
  if (!outcome.answered) {
    toast("The application did not respond.");
    if (messageId && app.messages.has(messageId)) {
      app.failed.add(messageId);
      upsertMessage(app, app.messages.get(messageId));
    }
  }
};

/** A button pressed or a menu chosen on a message: a real component interaction. */
app.press = async (message, customId, values, control) => {
  control.disabled = true;
  control.classList.add("busy");
  const device = /^device:(on|off):/.exec(customId);
  const watch = device ? { want: device[1] === "on", before: new Map(switches().map((d) => [d.entityId, d.value])) } : null;
  try {
    const outcome = await post("/api/component", { messageId: message.id, customId, ...(values ? { values } : {}) });
    if (watch) {
      app.switchWatch = watch;
      checkSwitch();
    }
    app.interactionDone(outcome, message.id);
  } catch (error) {
    toast(error.message);
  } finally {
    control.disabled = false;
    control.classList.remove("busy");
  }
};

app.dismiss = (messageId) => {
  app.dismissed.add(messageId);
  app.messages.delete(messageId);
  removeMessage(messageId);
};

/** A game action; resolves with the world's answer, or null after showing why it was refused. */
app.act = async (action) => {
  try {
    const answer = await post("/api/game", action);
    if (answer.message && action.action !== "register-companion") logGame(answer.message);
    return answer;
  } catch (error) {
    toast(error.message);
    return null;
  }
};

app.registerCompanion = async () => {
  const answer = await app.act({ action: "register-companion" });
  if (!answer?.message) return null;
  app.companionJson = answer.message;
  renderGuide();
  return answer.message;
};

/** /credentials add with its form pre-filled with what the companion app registration gave. */
app.credentialsAdd = async () => {
  const json = app.companionJson ?? (await app.registerCompanion());
  if (!json) return;
  app.prefill = { paste: json };
  await app.runInGuild("credentials", "add");
};

app.pairAll = async () => {
  for (const device of (app.world?.devices ?? []).filter((d) => !d.paired)) {
    if (!(await app.act({ action: "pair-device", entityId: device.entityId }))) return;
  }
};

const switches = () => (app.world?.devices ?? []).filter((d) => d.kind === "switch");

/**
 * Done when a switch turned the way a card's button asked, since it was pressed. The bot's card names the
 * device as the pairing push did ("Smart Switch"), not as the game panel does, so any switch that turned counts.
 */
function checkSwitch() {
  const watch = app.switchWatch;
  if (!watch) return;
  if (switches().some((d) => d.value === watch.want && watch.before.get(d.entityId) !== watch.want)) {
    app.switchFollowed = true;
    app.switchWatch = null;
  }
}

function applyState(state) {
  const { discord, world } = state;
  app.guild = discord.guild;
  app.user = discord.user;
  app.bot = discord.bot;
  app.channels = new Map(discord.channels.map((c) => [c.id, c]));
  // Ephemeral messages the user dismissed stay dismissed; the rest is as the server has it.
  app.messages = new Map(discord.messages.filter((m) => !app.dismissed.has(m.id)).map((m) => [m.id, m]));
  app.commands = discord.commands;
  app.world = world;
  document.querySelector("[data-testid=guild-name]").textContent = app.guild.name;
  document.querySelector("[data-testid=me]").replaceChildren(
    Object.assign(document.createElement("div"), { textContent: app.user.name }),
  );
  if (!app.channels.has(app.selected)) {
    const texts = [...app.channels.values()].filter((c) => c.kind === "text").sort((a, b) => compareIds(a.id, b.id));
    app.selected = (texts.find((c) => c.name === "general") ?? texts[0])?.id ?? null;
  }
  renderChannels(app);
  renderHeader(app);
  renderMessages(app);
  renderGame(world);
  checkSwitch();
  renderGuide();
  composer.commandsChanged();
  document.body.dataset.ready = "true";
}

function applyDiscord(event) {
  switch (event.type) {
    case "message": {
      const m = event.message;
      if (app.dismissed.has(m.id)) break; // an edit of a dismissed message does not bring it back
      app.messages.set(m.id, m);
      if (m.channelId === app.selected) upsertMessage(app, m);
      else if (!app.unread.has(m.channelId) && app.channels.has(m.channelId)) {
        app.unread.add(m.channelId);
        renderChannels(app);
      }
      break;
    }
    case "message-delete":
      app.messages.delete(event.messageId);
      removeMessage(event.messageId);
      break;
    case "channel":
      app.channels.set(event.channel.id, event.channel);
      if (!app.selected && event.channel.kind === "text") app.select(event.channel.id);
      renderChannels(app);
      if (event.channel.id === app.selected) renderHeader(app);
      break;
    case "channel-delete":
      app.channels.delete(event.channelId);
      if (app.selected === event.channelId) {
        app.selected = null;
        const first = [...app.channels.values()].find((c) => c.kind === "text");
        if (first) app.select(first.id);
        else renderMessages(app);
      }
      renderChannels(app);
      break;
    case "commands":
      app.commands = event.commands;
      composer.commandsChanged();
      break;
  }
  renderGuide();
}

function connect() {
  const live = document.querySelector("[data-testid=connection]");
  const setLive = (state) => {
    live.dataset.state = state;
    live.textContent = state === "live" ? "live" : "reconnecting…";
  };
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => setLive("live"));
  // EventSource reconnects by itself; the server then sends the whole state again.
  source.addEventListener("error", () => setLive("connecting"));
  source.addEventListener("state", (e) => applyState(JSON.parse(e.data)));
  source.addEventListener("discord", (e) => applyDiscord(JSON.parse(e.data)));
  source.addEventListener("world", (e) => {
    app.world = JSON.parse(e.data);
    renderGame(app.world);
    checkSwitch();
    renderGuide();
  });
}

connect();
setInterval(() => refreshRelativeTimes(), 30_000);
