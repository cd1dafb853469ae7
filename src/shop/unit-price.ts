// Unit prices as exact fractions. A vending offer sells `quantity` items for `costPerItem` of a currency, so its
// unit price is costPerItem / quantity; comparing two is cross-multiplying integers, never dividing floats
// (0.1 + 0.2 style errors would make an equal price read as an undercut).

/** A price of `cost` currency for `quantity` items. Both are non-negative integers; quantity > 0. */
export interface Price {
  cost: number;
  quantity: number;
}

/**
 * −1, 0 or 1 as a's unit price is lower than, equal to or higher than b's. Exact for any integers: products are
 * taken in BigInt when they could pass 2^53.
 * @throws RangeError when a quantity is not a positive integer or a cost not a non-negative integer.
 */
export function compareUnitPrice(a: Price, b: Price): -1 | 0 | 1 {
  check(a);
  check(b);
  const left = a.cost * b.quantity;
  const right = b.cost * a.quantity;
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left < right ? -1 : left > right ? 1 : 0;
  const l = BigInt(a.cost) * BigInt(b.quantity);
  const r = BigInt(b.cost) * BigInt(a.quantity);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** A limit in thousandths of the currency per item (TrackedShopItem.maxUnitPriceMilli) as a Price. */
export const milliPrice = (milli: number): Price => ({ cost: milli, quantity: 1000 });

function check(p: Price): void {
  if (!Number.isSafeInteger(p.cost) || p.cost < 0 || !Number.isSafeInteger(p.quantity) || p.quantity <= 0) {
    throw new RangeError(`not a price: ${p.cost} for ${p.quantity}`);
  }
}
