// The `max-price` of /shop track as typed: a price per item with up to three decimals, kept exactly in thousandths
// (TrackedShopItem.maxUnitPriceMilli), so "0.5" scrap is 500 and never a float.
import { UserError } from "../../errors.ts";

/** The highest limit per item: far above any price a vending machine can ask (a stack for 1,000,000 scrap each). */
export const MAX_PRICE = 1_000_000;

export const MAX_PRICE_RULE = `\`max-price\` is the highest price per item: a number from 0.001 to ${MAX_PRICE.toLocaleString("en-US")} with at most 3 decimals, like \`25\` or \`0.5\`.`;

/**
 * "25" → 25000, "0.5" → 500, "1.250" → 1250 (thousandths of the currency per item).
 * @throws UserError for anything else: negative, zero, over MAX_PRICE, more than 3 decimals, exponents, words.
 */
export function parseMaxPrice(raw: string): number {
  const text = raw.trim();
  const m = /^(\d{1,7})(?:\.(\d{1,3}))?$/.exec(text) ?? /^()\.(\d{1,3})$/.exec(text);
  if (!m) throw new UserError(`\`${text.slice(0, 30).replace(/`/g, "'")}\` is not a price. ${MAX_PRICE_RULE}`);
  const milli = Number(m[1] || "0") * 1000 + Number((m[2] ?? "").padEnd(3, "0"));
  if (milli <= 0 || milli > MAX_PRICE * 1000) throw new UserError(`${milli <= 0 ? "A price of 0 matches nothing" : "That price is too high"}. ${MAX_PRICE_RULE}`);
  return milli;
}
