// The game panel: the simulated Rust server as the player sees it in game (server, team, devices, map events,
// team chat, shops) and what the player can do there. Every button is a game action: it happens in game and
// reaches the bot only the way it would in production (Rust+ pushes and the live socket).
import { h } from "./dom.js";

const KIND_LABEL = { switch: "Smart switch", alarm: "Smart alarm", storage: "Storage monitor" };
const EVENT_LABEL = { cargo: "🚢 Cargo ship", heli: "🚁 Patrol helicopter", chinook: "🛩 Chinook", crate: "📦 Locked crate" };
const EVENT_BUTTON = { cargo: "🚢 Cargo", heli: "🚁 Heli", chinook: "🛩 Chinook", crate: "📦 Crate" };

const clock = (hours) => {
  const minutes = Math.floor(hours * 60) % (24 * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
};

/** What the game said about the player's last actions, newest first (shown above the server). */
export function logGame(text) {
  const log = document.querySelector("[data-testid=game-log]");
  log.prepend(h("li", { "data-testid": "game-log-line" }, text));
  while (log.children.length > 3) log.lastChild.remove();
  log.hidden = false;
}

/**
 * Builds the panel's sections once (so the say box keeps what is typed) and returns `render(world)`, which
 * redraws only the sections whose part of the world changed.
 */
export function initGame(app) {
  const root = document.querySelector("[data-testid=world]");
  const section = (testid, title) => {
    const body = h("div", { "data-testid": `${testid}-body` });
    const heading = h("h2", {}, h("span", {}, title), h("span", { class: "hint", "data-testid": `${testid}-hint` }));
    root.append(h("section", { class: "panel", "data-testid": testid }, heading, body));
    return { body, hint: heading.lastChild };
  };
  root.append(h("ol", { class: "game-log", "data-testid": "game-log", "aria-live": "polite", hidden: true }));
  const server = section("world-server", "Server");
  const devices = section("world-devices", "Your devices");
  const team = section("world-team", "Team");
  const events = section("world-events", "Map events");
  const chat = section("world-chat", "Team chat (in game)");
  const vending = section("world-vending", "Shops");

  // The say box: built once.
  const as = h("select", { "data-testid": "say-as", "aria-label": "Say as" });
  const text = h("input", { "data-testid": "say-text", placeholder: "Say something in team chat", maxlength: 128, "aria-label": "Team chat message" });
  const sayForm = h("form", { class: "say", "data-testid": "say" }, as, text, h("button", { type: "submit", class: "gbtn primary", "data-testid": "say-send" }, "Say"));
  sayForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ok = await app.act({ action: "team-chat", ...(as.value ? { steamId: as.value } : {}), text: text.value });
    if (ok) text.value = "";
  });
  const chatLog = h("div", { class: "chat-log", "data-testid": "team-chat" });
  chat.body.append(chatLog, sayForm);

  const eventButtons = h("div", { class: "row" }, Object.entries(EVENT_BUTTON).map(([kind, label]) =>
    h("button", { type: "button", class: "gbtn", "data-testid": `event-${kind}`, title: `${EVENT_LABEL[kind]} arrives`, onclick: () => app.act({ action: "event", kind }) }, label)));
  const eventList = h("div");
  events.body.append(eventList, eventButtons);

  const vendingList = h("div");
  vending.body.append(
    vendingList,
    h("div", { class: "row" }, [["restock", "Restock"], ["sell-out", "Sell out"], ["new-shop", "New shop"], ["price", "Change a price"]].map(([change, label]) =>
      h("button", { type: "button", class: "gbtn", "data-testid": `vending-${change}`, onclick: () => app.act({ action: "vending", change }) }, label))),
  );

  const drawn = {};
  /** Redraws a part only when its data changed (the world ticks often: teammates walk, the clock turns). */
  const part = (name, data, draw) => {
    const key = JSON.stringify(data);
    if (drawn[name] === key) return;
    drawn[name] = key;
    draw(data);
  };

  return function render(world) {
    if (!world) return;
    part("server", [world.serverName, world.ip, world.port, world.status, Math.floor(world.time * 4), world.isDay, world.connections, world.wipes, world.serverPaired, world.companion], () => {
      const running = world.status === "running";
      server.hint.textContent = running ? "" : "restarting…";
      server.body.replaceChildren(
        h("div", { class: "server-line" },
          h("span", { class: "server-name", "data-testid": "world-server-name" }, world.serverName),
          h("span", { class: `badge ${running ? "ok" : "warn"}`, "data-testid": "world-status", "data-status": world.status }, running ? "online" : "restarting")),
        h("dl", { class: "facts" },
          h("dt", {}, "Address"), h("dd", {}, `${world.ip}:${world.port}`),
          h("dt", {}, "Time"), h("dd", { "data-testid": "world-time" }, `${clock(world.time)} ${world.isDay ? "☀️ day" : "🌙 night"}`),
          h("dt", {}, "Rust+ sockets"), h("dd", { "data-testid": "world-connections", "data-count": world.connections }, world.connections ? `${world.connections} (the bot is connected)` : "none (press Connect in Discord)"),
          h("dt", {}, "Companion app"), h("dd", { "data-testid": "world-companion" }, world.companion.registered ? (world.companion.botListening ? "registered, the bot listens" : "registered, waiting for /credentials add") : "not registered"),
          h("dt", {}, "Paired"), h("dd", { "data-testid": "world-paired", "data-paired": String(world.serverPaired) }, world.serverPaired ? "yes" : "no"),
          h("dt", {}, "Wipes"), h("dd", {}, String(world.wipes))),
        h("div", { class: "row" },
          h("button", { type: "button", class: "gbtn", "data-testid": "register-companion", onclick: () => app.registerCompanion() }, world.companion.registered ? "Companion: show credentials" : "Register companion app"),
          h("button", { type: "button", class: "gbtn primary", "data-testid": "pair-server", disabled: !running, onclick: () => app.act({ action: "pair-server" }) }, "Pair server"),
          h("button", { type: "button", class: "gbtn", "data-testid": "restart-server", disabled: !running, onclick: () => app.act({ action: "restart" }) }, "Restart"),
          h("button", { type: "button", class: "gbtn danger", "data-testid": "wipe-server", disabled: !running, onclick: () => app.act({ action: "wipe" }) }, "Wipe")),
      );
    });

    part("devices", world.devices, (list) => {
      devices.hint.textContent = list.length ? `${list.filter((d) => d.paired).length} of ${list.length} paired` : "";
      devices.body.replaceChildren(
        list.length === 0 ? h("div", { class: "empty" }, "No devices placed.") : h("div", { class: "devices" }, list.map((d) => deviceCard(app, d))),
      );
    });

    part("team", world.team, (players) => {
      team.hint.textContent = `${players.filter((p) => p.online).length} online`;
      team.body.replaceChildren(
        h("ul", { class: "list" }, players.map((p) =>
          h("li", { "data-testid": "team-member", "data-steam-id": p.steamId, "data-online": String(p.online), "data-alive": String(p.alive) },
            h("span", { class: `dot${p.online ? " online" : ""}`, title: p.online ? "online" : "offline" }),
            h("span", { class: `grow${p.alive ? "" : " dead"}` }, p.name, p.steamId === world.you.steamId ? " (you)" : "", h("span", { class: "muted" }, ` · ${p.grid}${p.alive ? "" : " · 💀 dead"}`)),
            h("button", { type: "button", class: "gbtn", "data-testid": "kill", disabled: !p.alive || !p.online, title: "This teammate dies", onclick: () => app.act({ action: "death", steamId: p.steamId }) }, "💀")))),
      );
      const chosen = as.value || world.you.steamId;
      as.replaceChildren(...players.map((p) => h("option", { value: p.steamId }, p.steamId === world.you.steamId ? `${p.name} (you)` : p.name)));
      as.value = [...as.options].some((o) => o.value === chosen) ? chosen : (as.options[0]?.value ?? "");
    });

    part("events", world.events, (list) => {
      eventList.replaceChildren(
        list.length === 0 ? h("div", { class: "empty" }, "Nothing on the map now.")
          : h("ul", { class: "list" }, list.map((e) => h("li", { "data-testid": "map-event", "data-kind": e.kind }, h("span", { class: "grow" }, `${EVENT_LABEL[e.kind] ?? e.kind}`), h("span", { class: "muted" }, e.grid)))),
      );
    });

    part("chat", world.chat, (lines) => {
      const follow = chatLog.scrollHeight - chatLog.scrollTop - chatLog.clientHeight < 40;
      chatLog.replaceChildren(
        ...(lines.length === 0 ? [h("div", { class: "empty" }, "No one said anything yet.")]
          : lines.slice(-50).map((l) => h("div", { "data-testid": "team-chat-line" }, h("span", { class: "who" }, l.name), ": ", l.message))),
      );
      if (follow) chatLog.scrollTop = chatLog.scrollHeight;
    });

    part("vending", world.vending, (shops) => {
      vendingList.replaceChildren(
        shops.length === 0 ? h("div", { class: "empty" }, "No shops on the map.")
          : h("ul", { class: "list" }, shops.map((s) => h("li", { "data-testid": "vending" }, h("span", { class: "grow" }, s.name), h("span", { class: "muted" }, `${s.grid} · ${s.orders} offers${s.outOfStock ? " · sold out" : ""}`)))),
      );
    });
  };
}

function deviceCard(app, d) {
  const state = d.kind === "switch" ? (d.value ? "🟢 on" : "🔴 off") : d.kind === "alarm" ? (d.value ? "🔔 sounding" : "quiet") : d.value ? "holds items" : "empty";
  return h(
    "div",
    {
      class: "device", "data-testid": "device", "data-entity-id": d.entityId, "data-kind": d.kind, "data-name": d.name,
      "data-value": d.value ? "on" : "off", "data-paired": String(d.paired),
    },
    h("div", { class: "device-name" }, d.name),
    h("div", { class: "device-state" }, h("span", { class: "muted" }, `${KIND_LABEL[d.kind] ?? d.kind} · `), h("span", { "data-testid": "device-state" }, state)),
    h(
      "div",
      { class: "device-actions" },
      h("button", { type: "button", class: `gbtn${d.paired ? "" : " primary"}`, "data-testid": "device-pair", onclick: () => app.act({ action: "pair-device", entityId: d.entityId }) }, d.paired ? "Pair again" : "Pair"),
      d.kind === "switch" ? h("button", { type: "button", class: "gbtn", "data-testid": "device-flip", onclick: () => app.act({ action: "flip-switch", entityId: d.entityId }) }, "Flip") : null,
      d.kind === "alarm" ? h("button", { type: "button", class: "gbtn danger", "data-testid": "device-trigger", onclick: () => app.act({ action: "trigger-alarm", entityId: d.entityId }) }, "Trigger alarm") : null,
    ),
  );
}
