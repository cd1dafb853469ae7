// solveGenetics off the event loop: the search runs in a worker thread, so the bot keeps answering while it
// works. Progress comes back through a callback; an AbortSignal (or the time limit) stops it.
import { Worker } from "node:worker_threads";
import { validate } from "./validate.ts";
import type { GenerationReport } from "./generations.ts";
import type { Genome } from "./genome.ts";
import type { SolveOptions, SolveReport } from "./types.ts";

export type PlainOptions = Omit<SolveOptions, "onProgress" | "shouldStop">;
export interface WorkerInput {
  clones: Genome[];
  options: PlainOptions;
  /** A multi-generation search for this target instead of one solve. */
  target?: { genome: string; generations: number };
  cancel: SharedArrayBuffer;
}
export type WorkerMessage =
  | { type: "progress"; done: number }
  | { type: "result"; report: SolveReport | GenerationReport }
  | { type: "error"; message: string };

/** At most this many searches run at once; the others wait their turn. */
export const MAX_WORKERS = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function acquire(): Promise<() => void> {
  if (running < MAX_WORKERS) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over as is
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

export interface WorkerControls {
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
  /** Stop (with the best found so far, `cancelled: true`) after this many ms. */
  timeLimitMs?: number;
}

// The worker is TypeScript: it loads through tsx's API, whatever runs this process (tsx, vitest). (Node 20
// does not apply `--import` hooks to a worker's own entry file.)
const BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ tsImport }) => tsImport(${JSON.stringify(
  new URL("./worker.ts", import.meta.url).href,
)}, ${JSON.stringify(import.meta.url)}))`;

export async function solveGeneticsInWorker(clones: readonly (string | Genome)[], options: PlainOptions = {}, controls: WorkerControls = {}): Promise<SolveReport> {
  return (await inWorker(clones, options, controls)) as SolveReport;
}

/** searchGenerations in the worker thread. */
export async function searchGenerationsInWorker(
  clones: readonly (string | Genome)[],
  target: string,
  options: PlainOptions & { generations?: number } = {},
  controls: WorkerControls = {},
): Promise<GenerationReport> {
  const { generations = 3, ...rest } = options;
  return (await inWorker(clones, rest, controls, { genome: target, generations })) as GenerationReport;
}

async function inWorker(clones: readonly (string | Genome)[], options: PlainOptions, controls: WorkerControls, target?: WorkerInput["target"]): Promise<SolveReport | GenerationReport> {
  const genomes = validate(clones, options);
  // Functions cannot cross to the worker: keep only plain options.
  const plain: PlainOptions = { ...options };
  delete (plain as SolveOptions).onProgress;
  delete (plain as SolveOptions).shouldStop;
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const input: WorkerInput = { clones: genomes, options: plain, cancel, ...(target && { target }) };
  const release = await acquire();
  try {
    return await run(input, flag, controls);
  } finally {
    release();
  }
}

function run(input: WorkerInput, flag: Int32Array, controls: WorkerControls): Promise<SolveReport | GenerationReport> {
  return new Promise<SolveReport | GenerationReport>((resolve, reject) => {
    const worker = new Worker(BOOT, { eval: true, workerData: input });
    const stop = (): void => void Atomics.store(flag, 0, 1);
    const timer = controls.timeLimitMs === undefined ? undefined : setTimeout(stop, controls.timeLimitMs);
    controls.signal?.addEventListener("abort", stop, { once: true });
    if (controls.signal?.aborted) stop();
    let settled = false;
    const finish = (): void => {
      settled = true;
      if (timer) clearTimeout(timer);
      controls.signal?.removeEventListener("abort", stop);
    };
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "progress") controls.onProgress?.(message.done);
      else if (message.type === "result") {
        finish();
        resolve(message.report);
      } else {
        finish();
        reject(new Error(message.message));
      }
    });
    worker.on("error", (error) => {
      finish();
      reject(error);
    });
    worker.on("exit", (code) => {
      if (!settled) {
        finish();
        reject(new Error(`genetics worker exited with code ${code}`));
      }
    });
  });
}
