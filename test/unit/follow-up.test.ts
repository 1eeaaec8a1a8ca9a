import { describe, expect, it } from 'vitest';
import { CASES, LET_GO_CASES } from '../../src/coaching/cases.js';
import { closestToWin, dueCutoffs, nudgeFor, suggestionFor } from '../../src/coaching/follow-up.js';
import { atLocalTime, isoWeek, localDate, localTime, weeklySlotPassed } from '../../src/jobs/local-time.js';

const day = (iso: string) => new Date(`${iso}T09:00:00Z`);

describe('when a deal earns a nudge', () => {
  it('nudges a deal quiet for the stall threshold, and not a day before', () => {
    const at = day('2026-11-30');
    expect(nudgeFor({ lastCase: 'G', lastActivityAt: day('2026-11-16'), lastAssessedAt: day('2026-11-16'), tooEarly: false }, at, 14)).toBe('stalled');
    expect(nudgeFor({ lastCase: 'G', lastActivityAt: day('2026-11-17'), lastAssessedAt: day('2026-11-17'), tooEarly: false }, at, 14)).toBeNull();
    expect(nudgeFor({ lastCase: null, lastActivityAt: day('2026-10-01'), lastAssessedAt: null, tooEarly: false }, at, 14)).toBe('stalled');
  });

  it('asks to close an A, C or D still open a week after it was judged', () => {
    for (const lastCase of ['A', 'C', 'D'] as const) {
      expect(nudgeFor({ lastCase, lastActivityAt: day('2026-11-23'), lastAssessedAt: day('2026-11-23'), tooEarly: false }, day('2026-11-30'), 14)).toBe('giveup');
      expect(nudgeFor({ lastCase, lastActivityAt: day('2026-11-24'), lastAssessedAt: day('2026-11-24'), tooEarly: false }, day('2026-11-30'), 14)).toBeNull();
    }
    expect(nudgeFor({ lastCase: 'B', lastActivityAt: day('2026-11-23'), lastAssessedAt: day('2026-11-23'), tooEarly: false }, day('2026-11-30'), 14)).toBeNull();
  });

  it('never asks to close a deal its latest assessment called too early to give up: once quiet, it asks to follow up', () => {
    for (const lastCase of ['A', 'C', 'D'] as const) {
      expect(nudgeFor({ lastCase, lastActivityAt: day('2026-11-23'), lastAssessedAt: day('2026-11-23'), tooEarly: true }, day('2026-11-30'), 14)).toBeNull();
      expect(nudgeFor({ lastCase, lastActivityAt: day('2026-11-09'), lastAssessedAt: day('2026-11-09'), tooEarly: true }, day('2026-11-30'), 14)).toBe('stalled');
    }
  });

  it('leaves out, by its cutoffs, only deals that cannot earn a nudge at any time up to now', () => {
    const now = day('2026-11-30');
    const HOUR = 3_600_000;
    let due = 0;
    // Every few hours of activity and assessment over two months, each case, nudge times up to a day before now.
    for (let activity = 0; activity <= 60 * 24; activity += 5) {
      for (const lastCase of [null, ...CASES]) {
        for (const earlier of [0, 1, 7, 13, 23]) {
          const deal = { lastCase, lastActivityAt: new Date(now.getTime() - activity * HOUR), lastAssessedAt: lastCase ? new Date(now.getTime() - (activity + 30) * HOUR) : null, tooEarly: false };
          const at = new Date(now.getTime() - earlier * HOUR);
          const { activityBy, letGoAssessedBy } = dueCutoffs(now, 14);
          const kept = deal.lastActivityAt <= activityBy || (lastCase !== null && LET_GO_CASES.includes(lastCase) && deal.lastAssessedAt! <= letGoAssessedBy);
          if (nudgeFor(deal, at, 14)) {
            due++;
            expect(kept).toBe(true);
          }
        }
      }
    }
    expect(due).toBeGreaterThan(1000);
    // And it does leave deals out: one touched yesterday, in a case that is not let-go.
    expect(day('2026-11-29') <= dueCutoffs(now, 14).activityBy).toBe(false);
  });
});

describe('what a manager is told', () => {
  it('picks one suggestion from the case mix', () => {
    expect(suggestionFor(['A', 'C', 'D', 'G', 'H'])).toBe('many_give_up');
    expect(suggestionFor(['H', 'H', 'G', 'B', 'E'])).toBe('many_keep_going');
    expect(suggestionFor(['E', 'F', 'G', 'B', 'H'])).toBe('many_fight');
    expect(suggestionFor(['B', 'B', 'A', 'E', 'H'])).toBe('many_nurture');
    expect(suggestionFor([null, null, null, 'H'])).toBe('no_assessments');
    expect(suggestionFor([])).toBe('no_assessments');
    expect(suggestionFor(['A', 'B', 'E', 'H', 'B', 'C', 'G', 'H', 'D', 'F'])).toBe('balanced');
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

  it('finds 09:00 local on both sides of a daylight-saving change', () => {
    expect(atLocalTime(new Date('2026-10-24T12:00:00Z'), 'Europe/Berlin', '09:00').toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect(atLocalTime(new Date('2026-10-26T12:00:00Z'), 'Europe/Berlin', '09:00').toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(atLocalTime(new Date('2026-11-22T20:00:00Z'), 'Asia/Ho_Chi_Minh', '09:00').toISOString()).toBe('2026-11-23T02:00:00.000Z');
  });

  it('counts a weekly slot missed while the app was down until the week ends', () => {
    const wednesday = localTime(new Date('2026-11-25T12:00:00Z'), 'UTC');
    expect(weeklySlotPassed(wednesday, 1, '09:00')).toBe(true);
    expect(weeklySlotPassed(wednesday, 3, '13:00')).toBe(false);
    expect(weeklySlotPassed(wednesday, 5, '09:00')).toBe(false);
    const nextMonday = localTime(new Date('2026-11-30T08:59:00Z'), 'UTC');
    expect(weeklySlotPassed(nextMonday, 1, '09:00')).toBe(false);
  });
});
