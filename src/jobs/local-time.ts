/** A moment as a person in `timeZone` sees it. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM, 24-hour */
  time: string;
  /** ISO weekday, 1 = Monday */
  weekday: number;
  /** ISO week, for example 2026-W47 */
  week: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** One formatter per zone, with or without the time of day: building one costs far more than using it. */
function formatter(timeZone: string, withTime = true): Intl.DateTimeFormat {
  const key = `${timeZone} ${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    const time = withTime ? ({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const) : {};
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', ...time });
    formatters.set(key, f);
  }
  return f;
}

/** The YYYY-MM-DD date of `at` in `timeZone`; a fifth of the cost of `localTime` when the date is all that is needed. */
export function localDate(at: Date, timeZone: string): string {
  return formatter(timeZone, false).format(at);
}

/**
 * `localDate` for the many instants a planning run reads, one per deal. Zones' offsets, and the moments they change,
 * fall on whole quarter hours, so in any one zone every instant of a quarter hour has the same date: each is looked
 * up once per zone.
 */
export function localDates(): (at: Date, timeZone: string) => string {
  const byZone = new Map<string, Map<number, string>>();
  return (at, timeZone) => {
    let dates = byZone.get(timeZone);
    if (!dates) byZone.set(timeZone, (dates = new Map()));
    const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
    let date = dates.get(quarter);
    if (date === undefined) dates.set(quarter, (date = localDate(at, timeZone)));
    return date;
  };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** ISO 8601 week of a calendar date: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, time: `${parts.hour}:${parts.minute}`, weekday: new Date(`${date}T00:00:00Z`).getUTCDay() || 7, week: isoWeek(date) };
}

/**
 * The instant of this ISO week's slot (weekday and HH:MM in `timeZone`), whether it has passed or not. Once it has,
 * it stays passed until the week ends: a slot missed while the app was down is still due.
 */
export function weeklySlotAt(now: Date, timeZone: string, weekday: number, time: string): Date {
  return atLocalTime(noonDaysAfter(now, timeZone, weekday - localTime(now, timeZone).weekday), timeZone, time);
}

/**
 * Noon, local, `days` calendar days after (or before) the local date of `at`: counted from noon, so that a
 * daylight-saving change in between cannot move it to the day before or after.
 */
function noonDaysAfter(at: Date, timeZone: string, days: number): Date {
  return new Date(atLocalTime(at, timeZone, '12:00').getTime() + days * 86_400_000);
}

/** The instant at which it is `time` on the local date of `at`, found by correcting for the zone's offset. */
export function atLocalTime(at: Date, timeZone: string, time: string): Date {
  const { date } = localTime(at, timeZone);
  const guess = new Date(`${date}T${time}:00Z`);
  // Two passes settle the offset, also across a daylight-saving change.
  let result = guess;
  for (let i = 0; i < 2; i++) {
    const seen = localTime(result, timeZone);
    const drift = Date.parse(`${seen.date}T${seen.time}:00Z`) - Date.parse(`${date}T${time}:00Z`);
    result = new Date(result.getTime() - drift);
  }
  return result;
}

/**
 * The start of the day `days` calendar days after the local date of `at`: its 00:00, or where the clocks jump over
 * midnight (Chile, Cuba) the moment they land.
 */
export function startOfDayAfter(at: Date, timeZone: string, days: number): Date {
  const noonThen = noonDaysAfter(at, timeZone, days);
  const day = localDate(noonThen, timeZone);
  let start = atLocalTime(noonThen, timeZone, '00:00');
  // A 00:00 that does not exist comes out as a moment of the day before; clocks change on a quarter hour.
  while (localDate(start, timeZone) < day) start = new Date(start.getTime() + QUARTER_HOUR_MS);
  return start;
}
