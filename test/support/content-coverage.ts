import path from 'node:path';
import { DEFAULT_PROMPTS_DIR, FALLBACK_LOCALE, isTree, readYaml } from '../../src/content/load.js';
import { fileSchemas } from '../../src/content/schema.js';

/** Leaf paths of a content tree; arrays count as one text each (they are translated whole). */
export function leafPaths(tree: unknown, prefix = ''): string[] {
  if (!isTree(tree)) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * A locale's own files, as written (no English filled in), by file name; a file it lacks is left out. The files are
 * the ones the loader reads: one per content schema.
 */
function ownFiles(dir: string, locale: string): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  for (const name of Object.keys(fileSchemas())) {
    const tree = readYaml(path.join(dir, locale, `${name}.yaml`));
    if (tree !== undefined) files[name] = tree;
  }
  return files;
}

/**
 * How a locale's files cover English, as dotted paths: `missing`, the texts English has and the locale does not (each
 * falls back to English); `extra`, the texts the locale has and English does not (nothing reads them).
 */
export function coverage(locale: string, dir: string = DEFAULT_PROMPTS_DIR): { missing: string[]; extra: string[] } {
  const english = leafPaths(ownFiles(dir, FALLBACK_LOCALE));
  const own = leafPaths(ownFiles(dir, locale));
  const [inEnglish, inOwn] = [new Set(english), new Set(own)];
  return { missing: english.filter((p) => !inOwn.has(p)), extra: own.filter((p) => !inEnglish.has(p)) };
}
