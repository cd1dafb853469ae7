// Plant genetics: the exact solver on seeded random pools (one core, in this thread). "sets covered" counts
// every source set the search accounts for (the bound skips whole subtrees safely); the unbounded run visits
// every set one by one, which measures the enumerator itself.
import { performance } from "node:perf_hooks";
import { solveGenetics } from "../src/tools/genetics/index.ts";
import { GENOME_COUNT } from "../src/tools/genetics/genome.ts";
import type { SolveOptions, SolveReport } from "../src/tools/genetics/types.ts";
import type { BenchResult } from "./run.ts";

/** `size` distinct genomes drawn at random; with `genes`, each slot drawn from those genes only (X 0 … H 4). */
function seededPool(seed: number, size: number, genes?: readonly number[]): number[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pool = new Set<number>();
  const draw = (): number => {
    if (!genes) return Math.floor(random() * GENOME_COUNT);
    let genome = 0;
    for (let slot = 0; slot < 6; slot++) genome = genome * 5 + (genes[Math.floor(random() * genes.length)] ?? 0);
    return genome;
  };
  while (pool.size < size) pool.add(draw());
  return [...pool];
}

/** The median of 5 runs after a warm-up: wall-clock ms and this process's CPU ms (the machine may be busy). */
function timed(clones: number[], options: SolveOptions): { ms: number; cpu: number; report: SolveReport } {
  let report = solveGenetics(clones, options);
  const runs: { ms: number; cpu: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    report = solveGenetics(clones, options);
    const cpu = process.cpuUsage(cpuStart);
    runs.push({ ms: performance.now() - started, cpu: (cpu.user + cpu.system) / 1000 });
  }
  const median = <T>(values: T[], key: (v: T) => number): number => values.map(key).sort((a, b) => a - b)[2] ?? 0;
  return { ms: median(runs, (r) => r.ms), cpu: median(runs, (r) => r.cpu), report };
}

const rate = (sets: number, ms: number): string => `${((sets / ms) * 1000 / 1e6).toFixed(1)} M sets/s`;

export async function genetics(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // The last case: only good genes, so that nearly every set ties somewhere at the top score (linked ties).
  const cases: [string, number, SolveOptions, (readonly number[])?][] = [
    ["n = 50, K ≤ 5, repeats, centre", 50, { maxSources: 5 }],
    ["n = 50, K ≤ 5, repeats, no centre", 50, { maxSources: 5, centre: false }],
    ["n = 30, K ≤ 8, repeats, centre", 30, { maxSources: 8 }],
    ["n = 30, K ≤ 8, no repeats, centre", 30, { maxSources: 8, repeats: false }],
    ["n = 40 G/Y/H only, K ≤ 6, centre", 40, { maxSources: 6 }, [2, 3, 4]],
  ];
  for (const [label, size, options, genes] of cases) {
    let worst = 0;
    let worstCpu = 0;
    let sets = 0;
    let visited = 0;
    let total = 0;
    for (const seed of [1, 2, 3]) {
      const { ms, cpu, report } = timed(seededPool(seed, size, genes), options);
      worst = Math.max(worst, ms);
      worstCpu = Math.max(worstCpu, cpu);
      total += ms;
      sets += report.setsCovered;
      visited += report.setsVisited;
    }
    results.push({
      name: `genetics solve ${label}`,
      figure: `${worst.toFixed(0)} ms`,
      detail: `median of 5 runs, worst of 3 seeded pools (${worstCpu.toFixed(0)} ms CPU); ${(sets / 3).toExponential(2)} sets covered, ${(visited / 3).toExponential(2)} visited; ${rate(sets, total)} covered`,
    });
  }
  for (const [label, size, options] of [["n = 50, K ≤ 5, unbounded", 50, { maxSources: 5, bound: false }]] as [string, number, SolveOptions][]) {
    const { ms, cpu, report } = timed(seededPool(1, size), options);
    results.push({ name: `genetics enumerate ${label}`, figure: rate(report.setsVisited, ms), detail: `${report.setsVisited.toExponential(2)} sets visited one by one in ${ms.toFixed(0)} ms (${rate(report.setsVisited, cpu)} by CPU time)` });
  }
  return results;
}
