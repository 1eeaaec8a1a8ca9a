import { describe, expect, it } from 'vitest';
import { matchLocale, pickLocale } from '../../src/content/locale.js';

const available = ['en', 'vi', 'zh-CN', 'th'];

describe('choosing a language', () => {
  it('maps Slack locales onto our content folders', () => {
    expect(matchLocale(available, 'vi-VN')).toBe('vi');
    expect(matchLocale(available, 'zh-CN')).toBe('zh-CN');
    expect(matchLocale(available, 'zh_TW')).toBe('zh-CN');
    expect(matchLocale(available, 'en-GB')).toBe('en');
    expect(matchLocale(available, 'th-TH')).toBe('th');
    expect(matchLocale(available, 'fr-FR')).toBeNull();
    expect(matchLocale(available, null)).toBeNull();
  });

  it('takes the first candidate we have content for, else English', () => {
    expect(pickLocale(available, [null, 'vi-VN', 'zh-CN'])).toBe('vi');
    expect(pickLocale(available, ['fr', 'de-DE', 'zh-CN'])).toBe('zh-CN');
    expect(pickLocale(available, [undefined, 'ja-JP'])).toBe('en');
  });
});
