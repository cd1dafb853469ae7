// solveGenetics off the event loop: the search runs in a worker thread, so the bot keeps answering while it
// works. Progress comes back through a callback; an AbortSignal (or the time limit) stops it.
import { Worker } from "node:worker_threads";
import { validate } from "./validate.ts";
import type { Genome } from "./genome.ts";
import type { SolveOptions, SolveReport } from "./types.ts";

export type PlainOptions = Omit<SolveOptions, "onProgress" | "shouldStop">;
export interface WorkerInput {
  clones: Genome[];
  options: PlainOptions;
  cancel: SharedArrayBuffer;
}
export type WorkerMessage =
  | { type: "progress"; done: number }
  | { type: "result"; report: SolveReport }
  | { type: "error"; message: string };

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
  const genomes = validate(clones, options);
  // Functions cannot cross to the worker: keep only plain options.
  const plain: PlainOptions = { ...options };
  delete (plain as SolveOptions).onProgress;
  delete (plain as SolveOptions).shouldStop;
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const input: WorkerInput = { clones: genomes, options: plain, cancel };
  return new Promise<SolveReport>((resolve, reject) => {
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
