import { reportFilter, type ReportFilter } from '../../../src-shared/contract/reports';

// The last choice of filters, per user on this PC (localStorage), and filters carried in a
// link (`#/reports?f=…`) from the home page's figures.

const storageKey = (userId: number) => `zhurnal.reports.filter.${userId}`;

function parse(text: string | null): ReportFilter | null {
  if (!text) return null;
  try {
    const parsed = reportFilter.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function rememberedFilter(userId: number): ReportFilter | null {
  return parse(window.localStorage.getItem(storageKey(userId)));
}

export function rememberFilter(userId: number, filter: ReportFilter): void {
  window.localStorage.setItem(storageKey(userId), JSON.stringify(filter));
}

export function linkedFilter(hashQueryValue: string | null): ReportFilter | null {
  return parse(hashQueryValue);
}

export function reportLink(filter: Partial<ReportFilter>): string {
  return `#/reports?f=${encodeURIComponent(JSON.stringify(filter))}`;
}
