import { describe, expect, it } from 'vitest';
import { closestToWin, nudgeFor, suggestionFor } from '../../src/coaching/follow-up.js';
import { atLocalTime, isoWeek, localTime, weeklySlotPassed } from '../../src/jobs/local-time.js';

const day = (iso: string) => new Date(`${iso}T09:00:00Z`);

describe('when a deal earns a nudge', () => {
  it('nudges a deal quiet for the stall threshold, and not a day before', () => {
    const at = day('2026-11-30');
    expect(nudgeFor({ lastCase: 'G', lastActivityAt: day('2026-11-16'), lastAssessedAt: day('2026-11-16') }, at, 14)).toBe('stalled');
    expect(nudgeFor({ lastCase: 'G', lastActivityAt: day('2026-11-17'), lastAssessedAt: day('2026-11-17') }, at, 14)).toBeNull();
    expect(nudgeFor({ lastCase: null, lastActivityAt: day('2026-10-01'), lastAssessedAt: null }, at, 14)).toBe('stalled');
  });

  it('asks to close an A, C or D still open a week after it was judged', () => {
    for (const lastCase of ['A', 'C', 'D'] as const) {
      expect(nudgeFor({ lastCase, lastActivityAt: day('2026-11-23'), lastAssessedAt: day('2026-11-23') }, day('2026-11-30'), 14)).toBe('giveup');
      expect(nudgeFor({ lastCase, lastActivityAt: day('2026-11-24'), lastAssessedAt: day('2026-11-24') }, day('2026-11-30'), 14)).toBeNull();
    }
    expect(nudgeFor({ lastCase: 'B', lastActivityAt: day('2026-11-23'), lastAssessedAt: day('2026-11-23') }, day('2026-11-30'), 14)).toBeNull();
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
