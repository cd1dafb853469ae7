// Prisma's `contains` / `startsWith` on PostgreSQL become LIKE/ILIKE with the text as it is: `%` and `_` in what a
// user typed would be wildcards ("_" matching every name). Escaped here with LIKE's default escape, the backslash.

/** `text` for a Prisma `contains`/`startsWith`/`endsWith` filter, matching itself literally. */
export const likeText = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
