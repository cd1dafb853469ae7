// The solver's worker thread: solves the pool it is given, posts progress now and then, and stops early when
// the shared cancel flag is raised.
import { parentPort, workerData } from "node:worker_threads";
import { enumerate } from "./enumerate.ts";
import { searchGenerations } from "./generations.ts";
import type { WorkerInput, WorkerMessage } from "./in-worker.ts";

const input = workerData as WorkerInput;
const cancel = new Int32Array(input.cancel);
let lastPost = 0;
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);
try {
  const options = {
    ...input.options,
    shouldStop: () => Atomics.load(cancel, 0) !== 0,
    onProgress: (done: number) => {
      const now = Date.now();
      if (now - lastPost < 100) return;
      lastPost = now;
      post({ type: "progress", done });
    },
  };
  const report = input.target
    ? searchGenerations(input.clones, input.target.genome, { ...options, generations: input.target.generations })
    : enumerate(input.clones, options);
  post({ type: "result", report });
} catch (error) {
  post({ type: "error", message: error instanceof Error ? error.message : String(error) });
}
