// Runs async work one at a time per key (e.g. per guild), so two /setup runs cannot both create channels.
const tails = new Map<string, Promise<unknown>>();

export function serialize<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(work);
  tails.set(key, next);
  void next.finally(() => {
    if (tails.get(key) === next) tails.delete(key);
  }).catch(() => {});
  return next;
}
