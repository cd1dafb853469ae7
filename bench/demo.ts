// `npm run bench -- demo`: the playground as a newcomer starts it (`npm run demo` runs `node --import tsx src/demo/main.ts`;
// npm itself left out): seconds until it prints its URL, the memory of its whole process tree (the playground with
// its fakes, the bot) once idle for a few seconds, and how long Ctrl+C takes to stop it all.
// Memory is the sum of VmRSS over the tree, read from /proc (Linux).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./run.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** Idle time before memory is read: the bot's first polls and the world's first steps are done by then. */
const IDLE_MS = 8_000;
const STARTUP_LIMIT_MS = 180_000;
const MB = 1024;

interface Proc {
  pid: number;
  ppid: number;
  /** kB */
  rss: number;
  role: string;
}

/** Every process whose ancestry reaches `root`, with its resident memory. */
function processTree(root: number): Proc[] {
  const all: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) in parentheses: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1] ?? 0);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      all.push({ pid: Number(entry), ppid, rss, role: roleOf(cmdline) });
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = new Set([root]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const p of all) {
      if (tree.has(p.pid) || !tree.has(p.ppid)) continue;
      tree.add(p.pid);
      grown = true;
    }
  }
  return all.filter((p) => tree.has(p.pid));
}

function roleOf(cmdline: string): string {
  if (/\.bin\/tsx |tsx\/dist\/cli/.test(cmdline)) return "tsx launcher";
  if (cmdline.includes("src/demo/main.ts")) return "playground";
  if (cmdline.includes("src/main.ts")) return "bot";
  if (cmdline.includes("deploy-commands")) return "deploy-commands";
  if (cmdline.includes("esbuild")) return "esbuild (tsx)";
  return cmdline.slice(0, 40);
}

export async function demo(): Promise<BenchResult[]> {
  const started = performance.now();
  // As `npm run demo` runs it: node with tsx's loader, no launcher process in between.
  const child = spawn(process.execPath, ["--import", "tsx", "src/demo/main.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the playground printed no URL in time")), STARTUP_LIMIT_MS);
    lines.on("line", (line) => {
      const match = /^Playground: (\S+)$/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    void exited.then(([code]) => reject(new Error(`the playground exited (${String(code)}) before printing its URL`)));
  });
  const startup = performance.now() - started;

  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const tree = processTree(child.pid!);
  const total = tree.reduce((sum, p) => sum + p.rss, 0);
  const parts = tree.map((p) => `${p.role} ${Math.round(p.rss / MB)}`).join(", ");

  const stopping = performance.now();
  child.kill("SIGINT");
  const [code] = await exited;
  const stop = performance.now() - stopping;
  // Everything it started is gone with it (the bot runs in a process group of its own); tsx's esbuild services
  // end when their parent's pipe closes, a moment later.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const left = tree.filter((p) => p.pid !== child.pid && existsSync(`/proc/${p.pid}`)).map((p) => `${p.role} ${p.pid}`);
  return [
    { name: "demo: start to URL", figure: `${(startup / 1000).toFixed(1)} s`, detail: url },
    { name: `demo: RSS of the process tree, idle ${IDLE_MS / 1000} s`, figure: `${Math.round(total / MB)} MB`, detail: `${parts} (MB)` },
    { name: "demo: Ctrl+C to exit", figure: `${(stop / 1000).toFixed(1)} s`, detail: `exit code ${String(code)}; ${left.length ? `left running: ${left.join(", ")}` : "nothing left running"}` },
  ];
}
