import { describe, expect, it } from "vitest";
import { MAX_WORKERS, searchGenerations, searchGenerationsInWorker, solveGenetics, solveGeneticsInWorker } from "../../../src/tools/genetics/index.ts";
import { formatGenome } from "../../../src/tools/genetics/genome.ts";

const pool = Array.from({ length: 40 }, (_, i) => formatGenome((i * 7919 + 13) % 15_625));

describe("the solver in a worker thread", () => {
  it("gives the same results as in this thread, with progress", async () => {
    const progress: number[] = [];
    const report = await solveGeneticsInWorker(pool, { maxSources: 5 }, { onProgress: (done) => progress.push(done) });
    expect(report.cancelled).toBe(false);
    expect(report.results).toEqual(solveGenetics(pool, { maxSources: 5 }).results);
    for (const done of progress) expect(done).toBeGreaterThanOrEqual(0);
  });

  it("keeps the event loop free and stops when cancelled", async () => {
    const controller = new AbortController();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const running = solveGeneticsInWorker(Array.from({ length: 40 }, (_, i) => formatGenome((i * 104_729 + 7) % 15_625)), { maxSources: 8, bound: false }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 600));
    controller.abort();
    const report = await running;
    clearInterval(ticker);
    expect(report.cancelled).toBe(true);
    expect(ticks).toBeGreaterThan(20);
  });

  it("refuses bad genomes before starting a worker", async () => {
    await expect(solveGeneticsInWorker(["GGGYYY", "nope"])).rejects.toThrow(/`nope`/);
  });

  it("runs at most MAX_WORKERS searches at once; the others wait and finish", async () => {
    const reports = await Promise.all(Array.from({ length: MAX_WORKERS + 2 }, () => solveGeneticsInWorker(pool, { maxSources: 3 })));
    for (const report of reports) expect(report.results[0]?.text).toBe(solveGenetics(pool, { maxSources: 3 }).results[0]?.text);
  });

  it("searches generations for a target in the worker", async () => {
    const clones = ["YGGGGY", "GYYYHY", "YHXXWG", "WYGGYW"];
    const options = { maxSources: 3, centre: false, top: 5 };
    const report = await searchGenerationsInWorker(clones, "GGGYYY", options);
    expect(report).toEqual(searchGenerations(clones, "GGGYYY", options));
    expect(report.generation).toBe(2);
  });
});
