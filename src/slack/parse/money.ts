/** Currencies offered in the deal form; the order is the menu's. */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'VND', 'CNY', 'THB', 'SGD', 'MYR', 'IDR', 'PHP', 'JPY', 'KRW', 'HKD', 'AUD', 'INR'] as const;

/** How many minor units a currency has (2 for USD, 0 for VND and JPY), as ISO 4217 says. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Turns "25,000.50" into integer minor units; null when it is not a plain non-negative amount. */
export function toMinorUnits(text: string, currency: string): number | null {
  const cleaned = text.replace(/[\s,]/g, '');
  const digits = minorDigits(currency);
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
}
