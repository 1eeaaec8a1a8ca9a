import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { z } from 'zod';
import { fileSchemas, type ContentFile, type LocaleContent } from './schema.js';

export const DEFAULT_PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts');
export const FALLBACK_LOCALE = 'en';

type Tree = { [key: string]: unknown };

/** A content file that failed validation; the message names the file and the field. */
export class ContentError extends Error {}

export interface Content {
  /** Locales found in prompts/, English first. */
  locales: string[];
  /** The texts of a locale, each missing string taken from English. Unknown locales get English. */
  get(locale: string): LocaleContent;
}

export const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function overlay(base: unknown, top: unknown): unknown {
  if (top === undefined || top === null) return base;
  if (!isTree(base) || !isTree(top)) return top;
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(top)) out[k] = overlay(base[k], v);
  return out;
}

function has(tree: unknown, parts: PropertyKey[]): boolean {
  let node = tree;
  for (const part of parts) {
    if (!isTree(node) && !Array.isArray(node)) return false;
    if (!(String(part) in (node as object))) return false;
    node = (node as Tree)[String(part)];
  }
  return true;
}

export function readYaml(file: string): unknown {
  if (!fs.existsSync(file)) return undefined;
  try {
    return YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ContentError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.') || '(top level)';
  const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` ${issue.keys.join(', ')}` : '';
  return `field ${field}: ${issue.message}${keys}`;
}

/** Reads and validates every locale under `dir`; throws ContentError naming the file and field. */
export function loadContent(dir: string = DEFAULT_PROMPTS_DIR): Content {
  const locales = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort((a, b) => (a === FALLBACK_LOCALE ? -1 : b === FALLBACK_LOCALE ? 1 : a.localeCompare(b)));
  if (!locales.includes(FALLBACK_LOCALE)) throw new ContentError(`${path.join(dir, FALLBACK_LOCALE)}: the English content is missing`);

  const englishFiles: Partial<Record<ContentFile, unknown>> = {};
  const merged = new Map<string, LocaleContent>();
  const schemas = fileSchemas();
  for (const locale of locales) {
    const result: Partial<LocaleContent> = {};
    for (const [name, schema] of Object.entries(schemas) as [ContentFile, (typeof schemas)[ContentFile]][]) {
      const own = path.join(dir, locale, `${name}.yaml`);
      const english = path.join(dir, FALLBACK_LOCALE, `${name}.yaml`);
      const written = readYaml(own);
      if (locale === FALLBACK_LOCALE) {
        if (written === undefined) throw new ContentError(`${own}: file is missing`);
        englishFiles[name] = written;
      }
      const combined = locale === FALLBACK_LOCALE ? written : overlay(englishFiles[name], written);
      const parsed = schema.safeParse(combined);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const blame = has(written, issue.path) ? own : english;
        throw new ContentError(`${blame}: ${describe(issue)}`);
      }
      (result as Record<string, unknown>)[name] = parsed.data;
    }
    merged.set(locale, result as LocaleContent);
  }

  return {
    locales,
    get: (locale) => merged.get(locale) ?? merged.get(FALLBACK_LOCALE)!,
  };
}

/** Fills `{name}` placeholders; an unknown placeholder is left as written so a test can spot it. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

/**
 * Fills a template for plain text, such as a modal's field error, where Slack shows mrkdwn's bold marks as typed:
 * `*{deal}*` there becomes the bare value.
 */
export function fillPlain(template: string, vars: Record<string, string | number>): string {
  return fill(template.replace(/\*(\{\w+\})\*/g, '$1'), vars);
}
