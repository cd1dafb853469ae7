// The day a daily quota counts in (BattleMetricsQuota.day): the UTC calendar day, so every user's quota
// resets at 00:00 UTC whatever their time zone.

const DAY_MS = 86_400_000;

/** `now`'s UTC day as "YYYY-MM-DD" (the @db.Date value, for raw SQL). */
export function utcDayKey(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** `now`'s UTC day as a Date at 00:00 UTC (what Prisma reads and writes for a @db.Date column). */
export function utcDay(now: Date): Date {
  return new Date(utcDayKey(now));
}

/** The next 00:00 UTC after `now`: when today's quota resets. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(utcDay(now).getTime() + DAY_MS);
}

/** 00:00 UTC `days` days before `now`'s UTC day. */
export function utcDaysBefore(now: Date, days: number): Date {
  return new Date(utcDay(now).getTime() - days * DAY_MS);
}
