/** Slack and people write locales many ways (vi-VN, zh_CN, zh-Hans, en-GB); map them to our content folders. */
export function matchLocale(available: readonly string[], wanted: string | null | undefined): string | null {
  if (!wanted) return null;
  const norm = wanted.replace('_', '-').toLowerCase();
  const exact = available.find((l) => l.toLowerCase() === norm);
  if (exact) return exact;
  const [lang] = norm.split('-');
  if (lang === 'zh') {
    // Simplified Chinese is what we write; Traditional-script regions still read it better than English.
    return available.find((l) => l.toLowerCase() === 'zh-cn') ?? null;
  }
  return available.find((l) => l.toLowerCase() === lang || l.toLowerCase().startsWith(`${lang}-`)) ?? null;
}

/** The first candidate we have content for, in order of preference; English when none. */
export function pickLocale(available: readonly string[], candidates: readonly (string | null | undefined)[]): string {
  for (const c of candidates) {
    const found = matchLocale(available, c);
    if (found) return found;
  }
  return 'en';
}
