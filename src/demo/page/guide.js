// The guided script: seven steps from a fresh bot to an alarm post and a switch flipped from Discord. Each step
// is ticked when the page can see it happened, from what Discord shows and what the game shows, never from
// which button was pressed (a step done another way counts as well).
import { h } from "./dom.js";

const isAlarmPost = (m) => !m.ephemeral && m.author.bot && m.embeds.some((e) => (e.title ?? "").startsWith("🚨"));
const hasCategoryWithChannels = (app) =>
  [...app.channels.values()].some((c) => c.kind === "category" && [...app.channels.values()].some((t) => t.kind === "text" && t.parentId === c.id));

/** JSON laid out to read; anything else as it is. */
function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function steps(app) {
  const world = app.world;
  const messages = [...app.messages.values()];
  const dmIds = new Set([...app.channels.values()].filter((c) => c.kind === "dm").map((c) => c.id));
  const credentials = world?.companion.botListening === true;
  const linked = credentials || messages.some((m) => dmIds.has(m.channelId) && m.author.bot && /now linked to Steam/.test(m.content));
  const pairable = (world?.devices ?? []).filter((d) => d.kind === "switch" || d.kind === "alarm");
  const firstAlarm = (world?.devices ?? []).find((d) => d.kind === "alarm" && d.paired) ?? (world?.devices ?? []).find((d) => d.kind === "alarm");
  const button = (testid, label, onclick, options = {}) => h("button", { type: "button", class: `gbtn${options.primary ? " primary" : ""}`, "data-testid": testid, onclick, disabled: options.disabled === true }, label);
  return [
    {
      id: "link", title: "Link your Steam account",
      text: "Run /link. The bot answers with a “Sign in with Steam” button only you can see: it opens the bot's sign-in page in a new tab; continue to (the fake) Steam, which signs you in and sends you back.",
      done: linked,
      actions: [button("guide-run-link", "Run /link", () => app.runInGuild("link"), { primary: true })],
    },
    {
      id: "setup", title: "Create the bot's channels",
      text: "/setup run creates the Rust+ category with one channel per kind of notification (it needs Manage Server, which you have).",
      done: hasCategoryWithChannels(app),
      actions: [button("guide-run-setup", "Run /setup run", () => app.runInGuild("setup", "run"), { primary: true })],
    },
    {
      id: "credentials", title: "Give the bot your push credentials",
      text: "In real life: fcm-register on your PC. Here: register the companion app in game, then paste what it gives into /credentials add (pre-filled).",
      done: credentials,
      actions: [
        button("guide-register-companion", "Register companion app", () => app.registerCompanion()),
        button("guide-credentials-add", "Run /credentials add", () => app.credentialsAdd(), { primary: true }),
      ],
      extra: app.companionJson ? h("pre", { class: "companion-json", "data-testid": "companion-json", title: "What fcm-register would write to rustplus.config.json" }, pretty(app.companionJson)) : null,
    },
    {
      id: "server", title: "Pair the server, then Connect",
      text: world?.serverPaired && !world.connections
        ? "Paired: the bot posted the server in #server-status. Press Connect on that post."
        : "“Pair with server” in the game's menu sends the bot a pairing push; it posts the server with a Connect button.",
      done: world?.serverPaired === true && (world?.connections ?? 0) > 0,
      actions: [
        button("guide-pair-server", "Pair server in game", () => app.act({ action: "pair-server" })),
        button("guide-show-server", "Show the post", () => app.selectByName("server-status")),
      ],
    },
    {
      id: "devices", title: "Pair your devices",
      text: "Hold E on a smart switch or alarm in game and choose Pair: the bot posts its card in #smart-devices.",
      done: pairable.length > 0 && pairable.every((d) => d.paired),
      actions: [
        button("guide-pair-devices", "Pair them all", () => app.pairAll()),
        button("guide-show-devices", "Show #smart-devices", () => app.selectByName("smart-devices")),
      ],
    },
    {
      id: "alarm", title: "Set off an alarm",
      text: "Trigger a smart alarm in game (the game panel's “Trigger alarm”): the bot posts it in #alarms-and-raids.",
      done: messages.some(isAlarmPost),
      actions: [
        button("guide-trigger-alarm", "Trigger an alarm", () => { app.act({ action: "trigger-alarm", entityId: firstAlarm.entityId }); app.selectByName("alarms-and-raids", true); }, { disabled: !firstAlarm }),
        button("guide-show-alarms", "Show #alarms-and-raids", () => app.selectByName("alarms-and-raids")),
      ],
    },
    {
      id: "switch", title: "Flip a switch from Discord",
      text: "Press On or Off on a switch's card in #smart-devices: the switch in the game panel follows.",
      done: app.switchFollowed,
      actions: [button("guide-show-switch", "Show #smart-devices", () => app.selectByName("smart-devices"))],
    },
  ];
}

export function initGuide(app) {
  const root = document.querySelector("[data-testid=guide]");
  let drawn = "";
  return function render() {
    const list = steps(app);
    const current = list.find((s) => !s.done)?.id ?? null;
    const key = JSON.stringify([list.map((s) => [s.done, s.text]), current, app.companionJson]);
    if (key === drawn) return;
    drawn = key;
    root.replaceChildren(
      h("h2", {}, current ? "Try it, step by step" : "All done: the bot works end to end 🎉"),
      h(
        "ol",
        {},
        list.map((s, i) =>
          h(
            "li",
            { class: "step", "data-testid": `guide-step-${s.id}`, "data-done": String(s.done), "data-current": String(s.id === current) },
            h("span", { class: "check", "aria-hidden": "true" }, s.done ? "✓" : String(i + 1)),
            h(
              "div",
              {},
              h("div", { class: "step-title" }, s.title),
              s.id === current ? h("div", { class: "step-text" }, s.text) : null,
              // A step done shows its title only; its buttons stay for doing it again (another device, a new link).
              s.done ? null : [s.extra ?? null, h("div", { class: "row" }, s.actions)],
            ),
          ),
        ),
      ),
    );
  };
}
