import { describe, expect, it } from 'vitest';
import { LET_GO_CASES, type CaseCode } from '../../src/coaching/cases.js';
import { closestToWin, daysBetween, dueCutoffs, nudgeFor, suggestionFor } from '../../src/coaching/follow-up.js';
import { atLocalTime, isoWeek, localDate, localDates, localTime, startOfDayAfter, weeklySlotAt } from '../../src/jobs/local-time.js';

const day = (iso: string) => new Date(`${iso}T09:00:00Z`);
const quiet = (lastCase: CaseCode | null, lastActiveOn: string, tooEarly = false) => ({ lastCase, lastActiveOn, lastAssessedOn: lastCase ? lastActiveOn : null, tooEarly });

describe('when a deal earns a nudge', () => {
  it('nudges a deal quiet for the stall threshold in calendar days, and not a day before', () => {
    expect(nudgeFor(quiet('G', '2026-11-16'), '2026-11-30', 14)).toBe('stalled');
    expect(nudgeFor(quiet('G', '2026-11-17'), '2026-11-30', 14)).toBeNull();
    expect(nudgeFor(quiet(null, '2026-10-01'), '2026-11-30', 14)).toBe('stalled');
    // Across a month's end and a clock change: 2026-10-19 to 2026-11-02 is 14 days in Berlin, though 14 days and an
    // hour by the clock.
    expect(nudgeFor(quiet('G', '2026-10-19'), '2026-11-02', 14)).toBe('stalled');
    expect(daysBetween('2026-10-19', '2026-11-02')).toBe(14);
  });

  it('counts the days where the owner is: a deal touched Monday afternoon is a week quiet the next Monday morning', () => {
    const touched = new Date('2026-11-16T15:30:00+01:00');
    const nextMondayNine = new Date('2026-11-23T09:00:00+01:00');
    const zone = 'Europe/Berlin';
    expect(nudgeFor(quiet(null, localDate(touched, zone)), localDate(nextMondayNine, zone), 7)).toBe('stalled');
    // Where that afternoon was already Tuesday, the week is not up until Tuesday.
    expect(nudgeFor(quiet(null, localDate(touched, 'Pacific/Auckland')), localDate(nextMondayNine, 'Pacific/Auckland'), 7)).toBeNull();
  });

  it('asks to close an A, C or D still open a week after it was judged', () => {
    for (const lastCase of ['A', 'C', 'D'] as const) {
      expect(nudgeFor(quiet(lastCase, '2026-11-23'), '2026-11-30', 14)).toBe('giveup');
      expect(nudgeFor(quiet(lastCase, '2026-11-24'), '2026-11-30', 14)).toBeNull();
    }
    expect(nudgeFor(quiet('B', '2026-11-23'), '2026-11-30', 14)).toBeNull();
  });

  it('never asks to close a deal its latest assessment called too early to give up: once quiet, it asks to follow up', () => {
    for (const lastCase of ['A', 'C', 'D'] as const) {
      expect(nudgeFor(quiet(lastCase, '2026-11-23', true), '2026-11-30', 14)).toBeNull();
      expect(nudgeFor(quiet(lastCase, '2026-11-09', true), '2026-11-30', 14)).toBe('stalled');
    }
  });

  it('leaves out, by its cutoffs, only deals that cannot earn a nudge on any day up to now, in any time zone', () => {
    const HOUR = 3_600_000;
    let due = 0;
    // Runs at three times of day, on days that end a window holding a clock change (Berlin's in March and October,
    // Troll's two-hour one) and on one without, in zones far ahead of and behind UTC.
    const nows = ['2026-11-30', '2026-11-03', '2026-04-05'].flatMap((d) => ['00:30', '09:00', '23:30'].map((t) => new Date(`${d}T${t}:00Z`)));
    for (const now of nows) {
      for (const zone of ['UTC', 'Europe/Berlin', 'Pacific/Kiritimati', 'Antarctica/Troll']) {
        const days = [0, 9].map((earlier) => localDate(new Date(now.getTime() - earlier * HOUR), zone));
        for (const stallDays of [1, 7, 14]) {
          const { activityBy, letGoAssessedBy } = dueCutoffs(now, stallDays);
          // Every hour of activity over three weeks, a let-go case and two others.
          for (let activity = 0; activity <= 21 * 24; activity++) {
            const activeAt = new Date(now.getTime() - activity * HOUR);
            const assessedAt = new Date(activeAt.getTime() - 5 * HOUR);
            const [activeOn, assessedOn] = [localDate(activeAt, zone), localDate(assessedAt, zone)];
            for (const lastCase of [null, 'A', 'G'] as const) {
              const deal = { lastCase, lastActiveOn: activeOn, lastAssessedOn: lastCase ? assessedOn : null, tooEarly: false };
              const kept = activeAt <= activityBy || (lastCase !== null && LET_GO_CASES.includes(lastCase) && assessedAt <= letGoAssessedBy);
              for (const today of days) {
                if (nudgeFor(deal, today, stallDays)) {
                  due++;
                  expect(kept).toBe(true);
                }
              }
            }
          }
        }
      }
    }
    expect(due).toBeGreaterThan(10_000);
    // And it does leave deals out: one touched three days ago, in a case that is not let-go.
    expect(day('2026-11-27') <= dueCutoffs(day('2026-11-30'), 14).activityBy).toBe(false);
  });
});

describe('what a manager is told', () => {
  it('picks one suggestion from the case mix', () => {
    const mix = (cases: (CaseCode | null)[], tooEarly: CaseCode[] = []) => suggestionFor(cases.map((lastCase) => ({ lastCase, tooEarly: lastCase !== null && tooEarly.includes(lastCase) })));
    expect(mix(['A', 'C', 'D', 'G', 'H'])).toBe('many_give_up');
    expect(mix(['H', 'H', 'G', 'B', 'E'])).toBe('many_keep_going');
    expect(mix(['E', 'F', 'G', 'B', 'H'])).toBe('many_fight');
    expect(mix(['B', 'B', 'A', 'E', 'H'])).toBe('many_nurture');
    expect(mix([null, null, null, 'H'])).toBe('no_assessments');
    expect(mix([])).toBe('no_assessments');
    expect(mix(['A', 'B', 'E', 'H', 'B', 'C', 'G', 'H', 'D', 'F'])).toBe('balanced');
    // Let-go cases the sellers were told are too early to give up do not make "many to give up".
    expect(mix(['A', 'C', 'D', 'G', 'H'], ['A', 'C', 'D'])).toBe('balanced');
    expect(mix(['A', 'C', 'D', 'G', 'H'], ['A'])).toBe('many_give_up');
  });

  it('lists the deals closest to a win, H first', () => {
    const deals = [{ lastCase: 'E' as const }, { lastCase: 'A' as const }, { lastCase: 'H' as const }, { lastCase: null }];
    expect(closestToWin(deals).map((d) => d.lastCase)).toEqual(['H', 'E']);
  });
});

describe('local time', () => {
  it('numbers ISO weeks across year ends', () => {
    expect(isoWeek('2026-12-31')).toBe('2026-W53');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
    expect(isoWeek('2026-11-22')).toBe('2026-W47');
  });

  it('gives the same local date on its own as with the time of day', () => {
    for (const zone of ['UTC', 'Asia/Ho_Chi_Minh', 'America/Los_Angeles', 'Pacific/Kiritimati'])
      for (let h = 0; h < 48; h += 5) {
        const at = new Date(Date.UTC(2026, 11, 31, h));
        expect(localDate(at, zone)).toBe(localTime(at, zone).date);
      }
  });

  it('gives the same dates when it looks each quarter hour up once, in zones with odd offsets and clock changes', () => {
    // One lookup for every zone, as a planning run uses it.
    const dateOf = localDates();
    for (const zone of ['UTC', 'Asia/Kathmandu', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Europe/Berlin', 'America/Santiago']) {
      // Every 37 minutes through a year: each zone's clock changes, and in time every minute of a quarter hour.
      const wrong: string[] = [];
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 37 * 60_000) if (dateOf(new Date(t), zone) !== localDate(new Date(t), zone)) wrong.push(new Date(t).toISOString());
      expect(wrong).toEqual([]);
    }
  });

  it('finds 09:00 local on both sides of a daylight-saving change', () => {
    expect(atLocalTime(new Date('2026-10-24T12:00:00Z'), 'Europe/Berlin', '09:00').toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect(atLocalTime(new Date('2026-10-26T12:00:00Z'), 'Europe/Berlin', '09:00').toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(atLocalTime(new Date('2026-11-22T20:00:00Z'), 'Asia/Ho_Chi_Minh', '09:00').toISOString()).toBe('2026-11-23T02:00:00.000Z');
  });

  it('snoozes to the start of the seventh day on the calendar, across a daylight-saving change either way', () => {
    // 23:30 in New York the evening before clocks spring forward: seven days on is 20 March, not 21.
    expect(startOfDayAfter(new Date('2027-03-14T04:30:00Z'), 'America/New_York', 7).toISOString()).toBe('2027-03-20T04:00:00.000Z');
    // 00:30 in Berlin the day before clocks fall back: seven days on is 31 October, not 30.
    expect(startOfDayAfter(new Date('2026-10-23T22:30:00Z'), 'Europe/Berlin', 7).toISOString()).toBe('2026-10-30T23:00:00.000Z');
    expect(startOfDayAfter(new Date('2026-11-22T20:00:00Z'), 'Asia/Ho_Chi_Minh', 7).toISOString()).toBe('2026-11-29T17:00:00.000Z');
    // Where the clocks jump from 00:00 to 01:00 (Santiago, 7 September 2025), the day starts at 01:00, not the 23:00 before.
    expect(startOfDayAfter(new Date('2025-08-31T15:00:00Z'), 'America/Santiago', 7).toISOString()).toBe('2025-09-07T04:00:00.000Z');
  });

  it('finds this week\'s slot, passed or to come, in the zone\'s own time, across a clock change', () => {
    const wednesday = new Date('2026-11-25T12:00:00Z');
    const slot = (at: Date, zone: string, weekday: number, time: string) => weeklySlotAt(at, zone, weekday, time).toISOString();
    // Passed on Monday, stays passed until the week ends; later ones are still to come.
    expect(slot(wednesday, 'UTC', 1, '09:00')).toBe('2026-11-23T09:00:00.000Z');
    expect(slot(wednesday, 'UTC', 3, '13:00')).toBe('2026-11-25T13:00:00.000Z');
    expect(slot(wednesday, 'UTC', 5, '09:00')).toBe('2026-11-27T09:00:00.000Z');
    // Just before next Monday's slot, it is next week's.
    expect(slot(new Date('2026-11-30T08:59:00Z'), 'UTC', 1, '09:00')).toBe('2026-11-30T09:00:00.000Z');
    // Berlin leaves summer time on Sunday 25 October 2026: Monday 09:00 is 07:00 UTC the week before, 08:00 UTC after.
    expect(slot(new Date('2026-10-28T12:00:00Z'), 'Europe/Berlin', 1, '09:00')).toBe('2026-10-26T08:00:00.000Z');
    expect(slot(new Date('2026-10-22T12:00:00Z'), 'Europe/Berlin', 1, '09:00')).toBe('2026-10-19T07:00:00.000Z');
    expect(slot(new Date('2026-10-28T12:00:00Z'), 'Europe/Berlin', 5, '17:00')).toBe('2026-10-30T16:00:00.000Z');
    // A Sunday slot seen from Monday morning in Ho Chi Minh City (still Sunday in UTC) is that week's Sunday.
    expect(slot(new Date('2026-11-29T18:00:00Z'), 'Asia/Ho_Chi_Minh', 7, '20:00')).toBe('2026-12-06T13:00:00.000Z');
  });
});
