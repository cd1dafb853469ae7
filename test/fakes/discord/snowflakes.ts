/** Discord's epoch (2015-01-01T00:00:00Z): snowflakes carry milliseconds since it in their top 42 bits. */
export const DISCORD_EPOCH = 1420070400000n;
let lastMs = 0n;
let increment = 0n;

/** A new, strictly increasing snowflake; with `shard`, one whose `(id >> 22) % count === index`. */
export function snowflake(shard?: { index: number; count: number }): string {
  let ms = BigInt(Date.now()) - DISCORD_EPOCH;
  if (ms <= lastMs) ms = lastMs + 1n; // one millisecond per id keeps ids unique and shard placement simple
  if (shard) while (ms % BigInt(shard.count) !== BigInt(shard.index)) ms++;
  lastMs = ms;
  increment = (increment + 1n) & 0xfffn;
  return ((ms << 22n) | (1n << 17n) | increment).toString();
}

export function shardOf(id: string, shardCount: number): number {
  return Number((BigInt(id) >> 22n) % BigInt(shardCount));
}

export function timestampOf(id: string): string {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
}
