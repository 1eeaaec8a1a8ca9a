import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { coverage, leafPaths } from '../support/content-coverage.js';

const content = loadContent();
const REQUIRED = ['en', 'vi', 'zh-CN', 'th'];

function at(tree: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<any>((node, key) => node?.[key], tree);
}

const placeholders = (text: unknown) => [...JSON.stringify(text ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('ships English, Vietnamese, Simplified Chinese and Thai', () => {
    for (const locale of REQUIRED) expect(content.locales).toContain(locale);
  });

  for (const locale of content.locales.filter((l) => l !== 'en')) {
    it(`${locale}: has every key English has and no other (this lists any missing one)`, () => {
      const { missing, extra } = coverage(locale);
      expect(missing).toEqual([]);
      expect(extra).toEqual([]);
    });

    it(`${locale}: keeps every placeholder of the English text`, () => {
      const en = content.get('en');
      const own = content.get(locale);
      const wrong = leafPaths(en).filter((p) => JSON.stringify(placeholders(at(en, p))) !== JSON.stringify(placeholders(at(own, p))));
      expect(wrong).toEqual([]);
    });

    it(`${locale}: translates the texts people read most`, () => {
      const en = content.get('en');
      const own = content.get(locale);
      for (const p of ['messages.help.body', 'advice.cases.G.headline', 'questions.questions.budget.label', 'tips.tips.t01.body']) {
        expect(at(own, p), p).not.toEqual(at(en, p));
      }
    });
  }

  it('keeps the tip series in the same order in every language', () => {
    const order = Object.keys(content.get('en').tips.tips);
    expect(order.length).toBeGreaterThanOrEqual(52);
    const en = content.get('en').tips.tips;
    for (const locale of content.locales) {
      const tips = content.get(locale).tips.tips;
      expect(Object.keys(tips)).toEqual(order);
      for (const id of order) expect(tips[id]!.source).toBe(en[id]!.source);
    }
  });

  it('gives every tip exactly one thing to try and draws on all five sources', () => {
    for (const locale of content.locales) {
      for (const [id, tip] of Object.entries(content.get(locale).tips.tips)) {
        expect(tip.action, `${locale} ${id}`).not.toMatch(/\n|^\s*[-•*]|\d\)\s/m);
      }
    }
    const bySource = new Map<string, number>();
    for (const tip of Object.values(content.get('en').tips.tips)) bySource.set(tip.source, (bySource.get(tip.source) ?? 0) + 1);
    expect([...bySource.keys()].sort()).toEqual(['funnel-misleads', 'give-up-model', 'key-account-notes', 'pain-power-vision-value', 'seven-step-process']);
    for (const count of bySource.values()) expect(count).toBeGreaterThanOrEqual(3);
  });
});
