import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentError, DEFAULT_PROMPTS_DIR, fill, loadContent } from '../../src/content/load.js';
import { coverage } from '../support/content-coverage.js';

const SOURCE = DEFAULT_PROMPTS_DIR;

/** A copy of the real prompts/ to break on purpose. */
function copyPrompts(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prompts-'));
  fs.cpSync(SOURCE, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string) {
  const p = path.join(dir, file);
  fs.writeFileSync(p, change(fs.readFileSync(p, 'utf8')));
}

function failure(dir: string): string {
  try {
    loadContent(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ContentError);
    return (err as Error).message;
  }
  throw new Error('content loaded although it is broken');
}

describe('content loading', () => {
  it('names the file and the field of a missing text', () => {
    const dir = copyPrompts();
    edit(dir, 'en/messages.yaml', (t) => t.replace(/^ {2}pick_label: .*\n/m, ''));
    const message = failure(dir);
    expect(message).toContain(path.join(dir, 'en', 'messages.yaml'));
    expect(message).toContain('deal_step.pick_label');
  });

  it('names a text that is too long for Slack', () => {
    const dir = copyPrompts();
    edit(dir, 'en/messages.yaml', (t) => t.replace(/^ {2}title_deal: .*$/m, '  title_deal: "This title is far longer than Slack allows"'));
    expect(failure(dir)).toMatch(/messages\.yaml: field modal\.title_deal: .*24/);
  });

  it('holds a text to the limit of where it is shown: a button that is also a form\'s submit, an option, a placeholder', () => {
    for (const [key, text, limit] of [
      ['share', 'Share it with the channel now', 24],
      ['new_deal_option', `A new deal ${'x'.repeat(70)}`, 75],
      ['pick_placeholder', 'p'.repeat(151), 150],
    ] as const) {
      const dir = copyPrompts();
      edit(dir, 'th/messages.yaml', (t) => t.replace(new RegExp(`^ {2}${key}: .*$`, 'm'), `  ${key}: "${text}"`));
      expect(failure(dir)).toMatch(new RegExp(`th/messages\\.yaml: field [a-z_]+\\.${key}: .*${limit}`));
    }
  });

  it('names an unknown key, so a typo cannot hide a text', () => {
    const dir = copyPrompts();
    edit(dir, 'en/questions.yaml', (t) => t.replace('  budget:\n', '  budget:\n    lable: "typo"\n'));
    expect(failure(dir)).toMatch(/questions\.yaml: field questions\.budget: .*lable/);
  });

  it('names a file that is not valid YAML, and a missing English file', () => {
    const dir = copyPrompts();
    edit(dir, 'en/advice.yaml', (t) => `${t}\n  - : [unclosed\n`);
    expect(failure(dir)).toContain(path.join(dir, 'en', 'advice.yaml'));
    const dir2 = copyPrompts();
    fs.rmSync(path.join(dir2, 'en', 'tips.yaml'));
    expect(failure(dir2)).toMatch(/tips\.yaml: file is missing/);
  });

  it('names a placeholder the code does not fill, in English or in a translation', () => {
    const dir = copyPrompts();
    edit(dir, 'en/messages.yaml', (t) => t.replace(/^( {2}not_found: .*)\{name\}/m, '$1{nmae}'));
    const message = failure(dir);
    expect(message).toContain(path.join(dir, 'en', 'messages.yaml'));
    expect(message).toContain('errors.not_found: unknown placeholder {nmae}: this text can use {name}');

    const other = copyPrompts();
    edit(other, 'vi/messages.yaml', (t) => t.replace(/^( {2}generic: ")/m, '$1{deal} '));
    const translated = failure(other);
    expect(translated).toContain(path.join(other, 'vi', 'messages.yaml'));
    expect(translated).toContain('errors.generic: unknown placeholder {deal}: this text takes none');
  });

  it('blames the translation, not English, for a broken translated text', () => {
    const dir = copyPrompts();
    fs.mkdirSync(path.join(dir, 'xx'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'xx', 'messages.yaml'), 'modal:\n  title_deal: "Một tiêu đề quá dài so với giới hạn"\n');
    expect(failure(dir)).toContain(path.join(dir, 'xx', 'messages.yaml'));
  });

  it('falls back to English for a string a locale lacks, and reports it as missing', () => {
    const dir = copyPrompts();
    fs.mkdirSync(path.join(dir, 'xx'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'xx', 'messages.yaml'), 'modal:\n  next: "Tiếp"\n');
    const content = loadContent(dir);
    expect(content.get('xx').messages.modal.next).toBe('Tiếp');
    expect(content.get('xx').messages.modal.save).toBe(content.get('en').messages.modal.save);
    expect(coverage('xx', dir).missing).toContain('messages.modal.save');
    expect(coverage('xx', dir).missing).not.toContain('messages.modal.next');
    expect(content.get('nope')).toBe(content.get('en'));
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Case {case}: {verdict}', { case: 'G', verdict: 'Fight' })).toBe('Case G: Fight');
    expect(fill('Hi {name}', {})).toBe('Hi {name}');
  });
});
