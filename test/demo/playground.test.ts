// The playground as a newcomer meets it: `npm run demo` (node --import tsx src/demo/main.ts) started as a child process, its
// page opened in a real browser (Debian's Chromium through playwright-core), and the guided script walked with
// the mouse: /link through the Steam sign-in, /setup run from the command box, the companion app's credentials
// into /credentials add's form, the server paired and connected, an alarm set off in the game panel and its post
// seen, a switch flipped from its card in Discord and seen in game. Ends with a screenshot in artifacts/.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
/** Each wait for something on the page: generous, the machine is slow and the bot does real work. */
const STEP_MS = 90_000;
const START_MS = 180_000;

let demo: ChildProcess | undefined;
let output = "";
let browser: Browser | undefined;
let url = "";

/** The end of what the demo printed, for a failure's message. */
const tail = () => output.split("\n").slice(-40).join("\n");

/** Starts `npm run demo`'s script as a user does (through tsx), with only PATH and HOME from this environment. */
async function startDemo(): Promise<string> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "src/demo/main.ts")], {
    cwd: ROOT, stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "" },
  });
  demo = child;
  child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const look = () => {
      const found = /Playground: (http:\/\/\S+)/.exec(output);
      if (found?.[1]) resolve(found[1]);
    };
    child.stdout.on("data", look);
    child.once("exit", (code) => reject(new Error(`npm run demo exited (${code}) before printing its URL:\n${tail()}`)));
  });
}

/** As Ctrl+C would: the runner stops the page, the bot and the fakes (SIGKILL if it has not after 30 s). */
async function stopDemo(): Promise<void> {
  const child = demo;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does.`);
  [url, browser] = await Promise.all([startDemo(), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })]);
}, START_MS);

afterAll(async () => {
  await browser?.close();
  await stopDemo();
}, 60_000);

/** Resolves when the guide shows step `id` done. */
const stepDone = (page: Page, id: string) => page.locator(`[data-testid=guide-step-${id}][data-done=true]`).waitFor();
const channel = (page: Page, name: string) => page.locator(`[data-testid=channel][data-channel-name=${JSON.stringify(name)}]`);

describe("npm run demo", () => {
  it("walks the guided script in a browser: link, setup, credentials, connect, an alarm post, a switch flipped from Discord", { timeout: 900_000 }, async () => {
    const page = await browser!.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(STEP_MS);
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    try {
      await page.goto(url);
      await page.locator("body[data-ready=true]").waitFor();
      await page.locator("[data-testid=connection][data-state=live]").waitFor();

      // The bot has registered its commands: the command box lists them.
      const input = page.getByTestId("command-input");
      await input.fill("/li");
      await page.locator('[data-testid=command-suggestion][data-command="/link"]').waitFor();
      await input.fill("");

      // 1. /link: the ephemeral reply's link opens the bot's sign-in page in a new tab; on to (fake) Steam and back.
      await page.getByTestId("guide-run-link").click();
      const signIn = page.locator("[data-testid=message][data-ephemeral=true]").getByRole("link", { name: "Sign in with Steam" });
      const [steam] = await Promise.all([page.context().waitForEvent("page"), signIn.click()]);
      await steam.getByRole("button", { name: /Continue to Steam/ }).click();
      await steam.getByRole("heading", { name: "Steam account linked" }).waitFor();
      await steam.close();
      await stepDone(page, "link");

      // 2. /setup run, typed in the command box: the category and its channels appear live.
      await input.fill("/setup run");
      await page.locator('[data-testid=command-suggestion][data-command="/setup run"]').click();
      await page.getByTestId("command-run").click();
      await channel(page, "alarms-and-raids").waitFor();
      await page.locator("[data-testid=category]").first().waitFor();
      await stepDone(page, "setup");

      // 3. The companion app registers in game; /credentials add opens its form, pre-filled with what to paste.
      await page.getByTestId("guide-register-companion").click();
      await page.getByTestId("companion-json").waitFor();
      await page.getByTestId("guide-credentials-add").click();
      const paste = page.getByTestId("modal").getByTestId("modal-field-paste");
      await paste.waitFor();
      expect(await paste.inputValue()).toMatch(/^\s*\{/);
      await page.getByTestId("modal-submit").click();
      await page.locator("[data-testid=message][data-ephemeral=true]", { hasText: "Saved, encrypted" }).waitFor();
      await stepDone(page, "credentials");

      // 4. Pair with the server in game; the bot posts it in #server-status; Connect opens the Rust+ socket.
      await page.getByTestId("guide-pair-server").click();
      await page.locator("[data-testid=world-paired][data-paired=true]").waitFor();
      await channel(page, "server-status").click();
      await page.getByTestId("messages").getByRole("button", { name: "Connect", exact: true }).first().click();
      await page.locator("[data-testid=world-connections]:not([data-count='0'])").waitFor();
      await stepDone(page, "server");

      // /map show: the server option's suggestions come from the bot (autocomplete); the map image is shown.
      await channel(page, "general").click();
      await input.fill("/map sh");
      await page.locator('[data-testid=command-suggestion][data-command="/map show"]').click();
      await page.getByTestId("option-server").click();
      await page.getByTestId("autocomplete-choice").first().click();
      await page.getByTestId("command-run").click();
      await page.getByTestId("messages").locator("[data-testid=embed-image], [data-testid=attachment-image]").first().waitFor();
      // Loaded from the playground (the bytes the bot uploaded), not a broken image: it has a width.
      await page.waitForFunction('[...document.querySelectorAll("[data-testid=embed-image], [data-testid=attachment-image]")].some((i) => i.complete && i.naturalWidth > 0)');

      // 5. Pair the devices in game: their cards come to #smart-devices.
      await page.getByTestId("guide-pair-devices").click();
      await stepDone(page, "devices");

      // 6. An alarm goes off in the game panel; its post appears in #alarms-and-raids.
      await channel(page, "alarms-and-raids").click();
      const alarm = page.locator("[data-testid=device][data-kind=alarm]").first();
      const alarmName = await alarm.getAttribute("data-name");
      expect(alarmName).toBeTruthy();
      await alarm.getByTestId("device-trigger").click();
      await page.getByTestId("messages").locator("[data-testid=embed-title]", { hasText: alarmName! }).first().waitFor();
      await stepDone(page, "alarm");

      // 7. A switch's card in #smart-devices: its button turns a switch in game. The card names the switch as the
      // pairing push did ("Smart Switch"), so: a card showing Off gets On, and one more switch is on in the game panel.
      await channel(page, "smart-devices").click();
      const switchesOn = page.locator("[data-testid=device][data-kind=switch][data-value=on]");
      const onBefore = await switchesOn.count();
      const card = page.getByTestId("messages").locator("[data-testid=message]")
        .filter({ has: page.locator("[data-testid=embed-field]", { hasText: /\bOff$/ }) })
        .filter({ has: page.getByRole("button", { name: "On", exact: true }) })
        .first();
      await card.getByRole("button", { name: "On", exact: true }).click();
      await switchesOn.nth(onBefore).waitFor();
      await stepDone(page, "switch");

      expect(problems).toEqual([]);
      await page.getByTestId("guide").scrollIntoViewIfNeeded();
      await mkdir(join(ROOT, "artifacts"), { recursive: true });
      await page.screenshot({ path: join(ROOT, "artifacts/playground.png") });
      if (process.env["UPDATE_SCREENSHOT"] === "1") await copyFile(join(ROOT, "artifacts/playground.png"), join(ROOT, "docs/playground.png"));
    } catch (error) {
      await mkdir(join(ROOT, "artifacts"), { recursive: true });
      await page.screenshot({ path: join(ROOT, "artifacts/playground-failure.png") }).catch(() => undefined);
      throw new Error(`${(error as Error).message}\n\npage errors: ${problems.join("; ") || "none"}\n\nthe demo's last output:\n${tail()}`, { cause: error });
    } finally {
      await page.close();
    }
  });
});
