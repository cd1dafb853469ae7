// The exact enumerator: every multiset of 2 … K source clones (depth-first, clones in a fixed order), each
// slot carried as a state number so that adding a clone costs six table look-ups. A subtree is skipped only
// when a safe upper bound on every genome it can produce scores below the worst of the best N found so far.
import { GENE_WEIGHT, GENOME_COUNT, SCORE_UNIT, SLOTS, formatGenome, geneAt, integerWeights, scoreGenome, type Genome } from "./genome.ts";
import { ORDERS, reduce } from "./chance.ts";
import { placement } from "./placement.ts";
import { EMPTY_STATE, MAX_NEIGHBOURS, slotStates } from "./states.ts";
import { TieSolver } from "./ties.ts";
import type { GeneticsResult, SolveOptions, SolveReport } from "./types.ts";

const { count: NS, next, top, totals, tieMask } = slotStates;
const POWERS = [1, 5, 25, 125, 625, 3125];

export interface Pool {
  genomes: Genome[];
  /** How often each genome may be used in one crossbreed. */
  caps: number[];
}

/** Collapses duplicates; the best clones first, so that good results are found early and the bound bites. */
export function collapsePool(clones: readonly Genome[], weights: readonly number[], maxSources: number, repeats: boolean): Pool {
  const counts = new Map<Genome, number>();
  for (const clone of clones) counts.set(clone, (counts.get(clone) ?? 0) + 1);
  const genomes = [...counts.keys()].sort((a, b) => scoreGenome(b, weights) - scoreGenome(a, weights) || a - b);
  return { genomes, caps: genomes.map((genome) => (repeats ? maxSources : Math.min(maxSources, counts.get(genome) ?? 0))) };
}

/** Multisets of 2 … K clones under the caps. */
export function countSets(caps: readonly number[], maxSources: number): number {
  let ways = [1];
  for (const cap of caps) {
    const grown = new Array<number>(maxSources + 1).fill(0);
    ways.forEach((w, size) => {
      for (let k = 0; k <= cap && size + k <= maxSources; k++) grown[size + k] = (grown[size + k] ?? 0) + w;
    });
    ways = grown;
  }
  return ways.reduce((sum, w, size) => (size >= 2 ? sum + w : sum), 0);
}

export function enumerate(clones: readonly Genome[], options: SolveOptions = {}): SolveReport {
  const K = options.maxSources ?? 5;
  if (!Number.isInteger(K) || K < 2 || K > MAX_NEIGHBOURS) throw new RangeError(`maxSources must be 2 … ${MAX_NEIGHBOURS}`);
  const repeats = options.repeats ?? true;
  const withCentre = options.centre ?? true;
  const wanted = options.top ?? 10;
  const bounded = options.bound ?? true;
  const weights = integerWeights(options.weights);
  const pool = collapsePool(clones, weights, K, repeats);
  const n = pool.genomes.length;
  const cap = Int32Array.from(pool.caps);
  const genes = new Uint8Array(n * SLOTS);
  const avail = new Uint8Array(SLOTS);
  pool.genomes.forEach((genome, j) => {
    for (let slot = 0; slot < SLOTS; slot++) {
      const gene = geneAt(genome, slot);
      genes[j * SLOTS + slot] = gene;
      avail[slot] = (avail[slot] ?? 0) | (1 << gene);
    }
  });

  // ub[(slot * NS + state) * R + r]: the best gene weight the slot can end with after r more picks.
  const R = K + 1;
  const ub = new Int32Array(SLOTS * NS * R);
  // tieBest[slot * NS + state]: the best gene weight among the genes tied at the top.
  const tieBest = new Int32Array(SLOTS * NS);
  for (let slot = 0; slot < SLOTS; slot++) {
    const present = avail[slot] ?? 0;
    for (let state = 0; state < NS; state++) {
      const highest = top[state] ?? 0;
      let tie = -Infinity;
      for (let gene = 0; gene < 5; gene++) if ((tieMask[state] ?? 0) & (1 << gene)) tie = Math.max(tie, weights[gene] ?? 0);
      tieBest[slot * NS + state] = tie === -Infinity ? 0 : tie;
      for (let r = 0; r < R; r++) {
        let best = -Infinity;
        for (let gene = 0; gene < 5; gene++) {
          const has = (present >> gene) & 1;
          const reach = (totals[state * 5 + gene] ?? 0) + (has ? r * (GENE_WEIGHT[gene] ?? 0) : 0);
          const keptByCentre = withCentre && has && highest <= 5;
          if ((reach > 0 && reach >= highest) || keptByCentre) best = Math.max(best, weights[gene] ?? 0);
        }
        ub[(slot * NS + state) * R + r] = best === -Infinity ? 0 : best;
      }
    }
  }

  const scoreOf = new Int32Array(GENOME_COUNT);
  for (let genome = 0; genome < GENOME_COUNT; genome++) scoreOf[genome] = scoreGenome(genome, weights);
  const bestChance = new Int32Array(GENOME_COUNT); // in 8!-ths; 0: not found
  const bestSize = new Int8Array(GENOME_COUNT);
  const bestCentre = new Int32Array(GENOME_COUNT);
  const bestSources = new Map<Genome, number[]>();
  const topScores: number[] = []; // the best `wanted` genome scores, descending
  let threshold = -Infinity;

  // The genes tied at the top of each state, as a short list.
  const tieGenes = new Int8Array(NS * 3);
  const tieLen = new Int8Array(NS);
  for (let st = 0; st < NS; st++) {
    const mask = tieMask[st] ?? 0;
    for (let gene = 0; gene < 5; gene++) if (mask & (1 << gene)) tieGenes[st * 3 + (tieLen[st] = (tieLen[st] ?? 0) + 1) - 1] = gene;
  }

  const stack = new Int32Array(K);
  const used = new Int32Array(n);
  const state = new Int32Array(SLOTS);
  // The genes each slot can end with for the leaf at hand: optGene[slot * 3 + i], i < optLen[slot].
  const optGene = new Int8Array(SLOTS * 3);
  const optLen = new Int8Array(SLOTS);
  let visited = 0;
  let cancelled = false;

  const record = (genome: Genome, chance: number, size: number, centre: number): void => {
    const score = scoreOf[genome] ?? 0;
    if (score < threshold) return;
    const previous = bestChance[genome] ?? 0;
    if (previous === 0) {
      let at = topScores.length;
      while (at > 0 && (topScores[at - 1] ?? 0) < score) at--;
      topScores.splice(at, 0, score);
      if (topScores.length > wanted) topScores.length = wanted;
      if (topScores.length === wanted) threshold = topScores[wanted - 1] ?? -Infinity;
    } else {
      const size0 = bestSize[genome] ?? 0;
      const better = chance > previous || (chance === previous && (size < size0 || (size === size0 && centre < 0 && (bestCentre[genome] ?? 0) >= 0)));
      if (!better) return;
    }
    bestChance[genome] = chance;
    bestSize[genome] = size;
    bestCentre[genome] = centre;
    bestSources.set(genome, Array.from(stack.subarray(0, size)));
  };

  const useTies = (slot: number, st: number): number => {
    const length = tieLen[st] ?? 0;
    optLen[slot] = length;
    for (let i = 0; i < length; i++) optGene[slot * 3 + i] = tieGenes[st * 3 + i] ?? 0;
    return tieBest[slot * NS + st] ?? 0;
  };

  // Tied slots are linked (one order of the neighbours for all six slots): their joint chances come from the
  // TieSolver, once per leaf and set of tied slots (the centres that leave the same slots tied share it).
  const ties = new TieSolver();
  const typePool = new Int32Array(K); // the pool index of each distinct clone of the leaf
  let leafId = 0;
  let typesOf = -1;
  const solvedOf = new Int32Array(1 << SLOTS).fill(-1);
  const solvedCount = new Int32Array(1 << SLOTS);
  const solvedGenes = new Int32Array((1 << SLOTS) * ties.outGenes.length);
  const solvedChance = new Int32Array((1 << SLOTS) * ties.outGenes.length);

  // The best chance of one tied slot's gene alone: 1 in k for k tied genes of one weight (they have as many carriers,
  // so none is favoured), and for five greens against three reds (15 = 15) the red wins when the last plant
  // visited is green: 5 in 8.
  const slotCap = (st: number, length: number): number => {
    const mask = tieMask[st] ?? 0;
    return mask & 3 && mask & 28 ? (ORDERS * 5) / 8 : ORDERS / length;
  };

  // Whether some genome the per-slot options give (tied slots with at most `cap` 8!-ths) could be recorded; partial
  // genomes are pruned by score (tiedRest[slot]: the best weights the tied slots from `slot` on can add).
  const tiedRest = new Int32Array(SLOTS + 1);
  const mayImprove = (slot: number, genome: number, score: number, cap: number, size: number, centre: number): boolean => {
    if (slot === SLOTS) {
      const previous = bestChance[genome] ?? 0;
      if (previous === 0 || cap > previous) return true;
      const size0 = bestSize[genome] ?? 0;
      return cap === previous && (size < size0 || (size === size0 && centre < 0 && (bestCentre[genome] ?? 0) >= 0));
    }
    const length = optLen[slot] ?? 1;
    if (length === 1) return mayImprove(slot + 1, genome, score, cap, size, centre);
    const rest = tiedRest[slot + 1] ?? 0;
    for (let i = 0; i < length; i++) {
      const gene = optGene[slot * 3 + i] ?? 0;
      const s = score + (weights[gene] ?? 0);
      if (s + rest >= threshold && mayImprove(slot + 1, genome + gene * (POWERS[slot] ?? 0), s, cap, size, centre)) return true;
    }
    return false;
  };

  const emit = (size: number, centre: number): void => {
    let fixed = 0;
    let fixedScore = 0;
    let tied = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      const gene = optGene[slot * 3] ?? 0;
      if ((optLen[slot] ?? 1) === 1) {
        fixed += gene * (POWERS[slot] ?? 0);
        fixedScore += weights[gene] ?? 0;
      } else tied |= 1 << slot;
    }
    if (tied === 0) {
      record(fixed, ORDERS, size, centre);
      return;
    }
    // No outcome can have a better chance than its likeliest slot: skip the solver when no genome the slots allow
    // could be recorded with that chance (most leaves, once the best genomes were found).
    let cap = ORDERS;
    tiedRest[SLOTS] = 0;
    for (let slot = SLOTS - 1; slot >= 0; slot--) {
      let best = 0;
      if (tied & (1 << slot)) {
        cap = Math.min(cap, slotCap(state[slot] ?? 0, optLen[slot] ?? 1));
        best = -Infinity;
        for (let i = 0; i < (optLen[slot] ?? 0); i++) best = Math.max(best, weights[optGene[slot * 3 + i] ?? 0] ?? 0);
      }
      tiedRest[slot] = (tiedRest[slot + 1] ?? 0) + best;
    }
    if (!mayImprove(0, fixed, fixedScore, cap, size, centre)) return;
    const base = solveTied(tied, size);
    const count = solvedCount[tied] ?? 0;
    for (let i = 0; i < count; i++) record(fixed + (solvedGenes[base + i] ?? 0), solvedChance[base + i] ?? 0, size, centre);
  };

  // The joint outcomes of the tied slots (a bit mask) of the leaf at hand, solved once per leaf and mask: returns
  // where they start in solvedGenes / solvedChance (solvedCount[tied] of them).
  const solveTied = (tied: number, size: number): number => {
    const base = tied * ties.outGenes.length;
    if (solvedOf[tied] === leafId) return base;
    if (typesOf !== leafId) {
      // The stack is sorted, so copies of one clone are neighbours in it.
      typesOf = leafId;
      ties.clear();
      for (let i = 0; i < size; i++) {
        const j = stack[i] ?? 0;
        if (i > 0 && j === stack[i - 1]) ties.copies[ties.types - 1] = (ties.copies[ties.types - 1] ?? 0) + 1;
        else {
          typePool[ties.types] = j;
          ties.copies[ties.types++] = 1;
        }
      }
    }
    ties.clearSlots();
    for (let slot = 0; slot < SLOTS; slot++) {
      if (!(tied & (1 << slot))) continue;
      const s = ties.addSlot(slot);
      for (let i = 0; i < (optLen[slot] ?? 0); i++) {
        const gene = optGene[slot * 3 + i] ?? 0;
        let mask = 0;
        for (let t = 0; t < ties.types; t++) if (genes[(typePool[t] ?? 0) * SLOTS + slot] === gene) mask |= 1 << t;
        ties.addGroup(s, gene, mask);
      }
    }
    const count = ties.solve();
    solvedOf[tied] = leafId;
    solvedCount[tied] = count;
    solvedGenes.set(ties.outGenes.subarray(0, count), base);
    solvedChance.set(ties.outChance.subarray(0, count), base);
    return base;
  };

  const leaf = (size: number): void => {
    leafId++;
    let bound = 0;
    let soft = false;
    for (let slot = 0; slot < SLOTS; slot++) {
      const st = state[slot] ?? 0;
      bound += withCentre ? (ub[(slot * NS + st) * R] ?? 0) : (tieBest[slot * NS + st] ?? 0);
      if ((top[st] ?? 0) <= 5) soft = true;
    }
    if (bound < threshold) return;
    if (!withCentre || !soft) {
      for (let slot = 0; slot < SLOTS; slot++) useTies(slot, state[slot] ?? 0);
      emit(size, -1);
      return;
    }
    for (let c = 0; c < n; c++) {
      if (!repeats && (used[c] ?? 0) >= (cap[c] ?? 0)) continue;
      let max = 0;
      for (let slot = 0; slot < SLOTS; slot++) {
        const st = state[slot] ?? 0;
        const highest = top[st] ?? 0;
        const own = genes[c * SLOTS + slot] ?? 0;
        let best: number;
        if (highest === 3 || (highest === 5 && own <= 1)) {
          optLen[slot] = 1;
          optGene[slot * 3] = own;
          best = weights[own] ?? 0;
        } else {
          best = useTies(slot, st);
        }
        max += best;
      }
      if (max < threshold) continue;
      emit(size, c);
    }
  };

  const progressWeights = pool.genomes.map((_, j) => combinations(n - j + K - 2, K - 1));
  const progressTotal = progressWeights.reduce((a, b) => a + b, 0) || 1;
  let progressDone = 0;

  const visit = (last: number, run: number, depth: number, s0: number, s1: number, s2: number, s3: number, s4: number, s5: number): void => {
    const size = depth + 1;
    const r = K - size;
    for (let j = last; j < n; j++) {
      if (cancelled) return;
      const again = j === last && depth > 0;
      if (again && run >= (cap[j] ?? 0)) continue;
      if (depth <= 1 && options.shouldStop?.()) {
        cancelled = true;
        return;
      }
      const b = j * SLOTS;
      const t0 = next[s0 * 5 + (genes[b] ?? 0)] ?? 0;
      const t1 = next[s1 * 5 + (genes[b + 1] ?? 0)] ?? 0;
      const t2 = next[s2 * 5 + (genes[b + 2] ?? 0)] ?? 0;
      const t3 = next[s3 * 5 + (genes[b + 3] ?? 0)] ?? 0;
      const t4 = next[s4 * 5 + (genes[b + 4] ?? 0)] ?? 0;
      const t5 = next[s5 * 5 + (genes[b + 5] ?? 0)] ?? 0;
      stack[depth] = j;
      used[j] = (used[j] ?? 0) + 1;
      if (size >= 2) {
        visited++;
        state[0] = t0; state[1] = t1; state[2] = t2; state[3] = t3; state[4] = t4; state[5] = t5;
        leaf(size);
      }
      if (r > 0) {
        const bound =
          (ub[t0 * R + r] ?? 0) +
          (ub[(NS + t1) * R + r] ?? 0) +
          (ub[(2 * NS + t2) * R + r] ?? 0) +
          (ub[(3 * NS + t3) * R + r] ?? 0) +
          (ub[(4 * NS + t4) * R + r] ?? 0) +
          (ub[(5 * NS + t5) * R + r] ?? 0);
        if (bound >= threshold || !bounded) visit(j, again ? run + 1 : 1, size, t0, t1, t2, t3, t4, t5);
      }
      used[j] = (used[j] ?? 0) - 1;
      if (depth === 0) {
        progressDone += progressWeights[j] ?? 0;
        options.onProgress?.(Math.min(1, progressDone / progressTotal));
      }
    }
  };
  visit(0, 0, 0, EMPTY_STATE, EMPTY_STATE, EMPTY_STATE, EMPTY_STATE, EMPTY_STATE, EMPTY_STATE);

  const found: Genome[] = [];
  for (let genome = 0; genome < GENOME_COUNT; genome++) if ((bestChance[genome] ?? 0) > 0 && (scoreOf[genome] ?? 0) >= threshold) found.push(genome);
  found.sort((a, b) => (scoreOf[b] ?? 0) - (scoreOf[a] ?? 0) || (bestChance[b] ?? 0) - (bestChance[a] ?? 0) || a - b);
  const results: GeneticsResult[] = found.slice(0, wanted).map((genome) => {
    const centre = bestCentre[genome] ?? -1;
    const recipe = {
      sources: (bestSources.get(genome) ?? []).map((j) => pool.genomes[j] ?? 0),
      centre: centre < 0 ? null : (pool.genomes[centre] ?? 0),
    };
    const chance = reduce(bestChance[genome] ?? ORDERS, ORDERS);
    return {
      genome,
      text: formatGenome(genome),
      score: (scoreOf[genome] ?? 0) / SCORE_UNIT,
      chance: chance.numerator / chance.denominator,
      ...chance,
      recipe,
      placement: placement(recipe),
    };
  });
  return { results, distinctClones: n, setsCovered: countSets(pool.caps, K), setsVisited: visited, cancelled };
}

function combinations(a: number, b: number): number {
  if (b < 0 || a < b) return b === 0 ? 1 : 0;
  let value = 1;
  for (let i = 1; i <= b; i++) value = (value * (a - b + i)) / i;
  return value;
}
