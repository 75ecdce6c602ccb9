import { useMemo, useState, type ReactNode } from 'react';
import type { AcademicYear } from '../../src-shared/contract/school';
import { localDate, russianDate } from '../../src-shared/rules/dates';
import type { ApiError } from '../api/client';
import { useSession } from '../app/session';
import { useApiQuery } from '../api/use-api';
import { useCloseOnEscape } from './dialog';
import './common.css';

export { russianDate };

/** The school's calendar date today (its time zone, not the PC's). */
export function useSchoolToday(): string {
  const { school } = useSession();
  return useMemo(() => localDate(new Date(), school.timeZone), [school.timeZone]);
}

/** The core's refusal, worded as it said it. */
export function ErrorMessage({ error }: { error: ApiError | string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="message message-error" role="alert">
      {typeof error === 'string' ? error : error.message}
    </p>
  );
}

export function Loading() {
  return <p className="muted">Загрузка…</p>;
}

export const gradeOptions = Array.from({ length: 12 }, (_, grade) => ({ value: String(grade), label: `${grade} класс` }));

/** The year the page is about: today's year, else the latest open one, else the latest. */
function currentYear(years: readonly AcademicYear[], today: string): AcademicYear | undefined {
  return (
    years.find((year) => year.startsOn <= today && today <= year.endsOn) ??
    [...years].reverse().find((year) => year.closedAt === null) ??
    years[years.length - 1]
  );
}

export interface YearChoice {
  years: AcademicYear[] | null;
  year: AcademicYear | undefined;
  error: ApiError | null;
  choose(id: number): void;
  reload(): Promise<void>;
}

export function useYearChoice(): YearChoice {
  const today = useSchoolToday();
  const query = useApiQuery('school.years.list', {});
  const [chosenId, setChosenId] = useState<number | null>(null);
  const years = useMemo(() => (query.data ? [...query.data].sort((a, b) => a.startsOn.localeCompare(b.startsOn)) : null), [query.data]);
  const year = years ? (years.find((candidate) => candidate.id === chosenId) ?? currentYear(years, today)) : undefined;
  return { years, year, error: query.error, choose: setChosenId, reload: query.reload };
}

/** «Учебный год: [2025/2026 ▾]» for pages whose lists belong to a year. */
export function YearSelect({ choice }: { choice: YearChoice }) {
  if (!choice.years) return null;
  if (choice.years.length === 0) {
    return (
      <p className="message message-warn">
        Учебный год ещё не создан. <a href="#/school/year">Создайте его в разделе «Учебный год»</a>.
      </p>
    );
  }
  return (
    <label className="inline-choice">
      Учебный год{' '}
      <select value={choice.year?.id ?? ''} onChange={(event) => choice.choose(Number(event.target.value))}>
        {choice.years.map((year) => (
          <option key={year.id} value={year.id}>
            {year.name}
            {year.closedAt ? ' (закрыт)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A panel beside a list (a card, a form): its heading, «✕» to close it, and what it holds. Escape
 * closes it too (not while a field has the focus: what was typed stays), and the focus goes
 * back where it was.
 */
export function SplitPanel({ label, heading, onClose, children }: { label: string; heading: ReactNode; onClose(): void; children: ReactNode }) {
  useCloseOnEscape(onClose, { keepWhileTyping: true });
  return (
    <aside className="split-panel" aria-label={label}>
      <div className="panel-header">
        {typeof heading === 'string' ? <h2>{heading}</h2> : heading}
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Закрыть">
          ✕
        </button>
      </div>
      {children}
    </aside>
  );
}

export function Toolbar({ children }: { children: ReactNode }) {
  return <div className="toolbar school-toolbar">{children}</div>;
}

/** Whole or half hours the Russian way: «1,5». */
export function formatHours(hours: number): string {
  return String(hours).replace('.', ',');
}

/** «1,5» or «1.5» typed → 1.5; empty → 0; not a number → NaN (the core words the refusal). */
export function parseNumber(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? 0 : Number(trimmed);
}

/** `?class=12` after the hash path (links between pages carry a choice this way). */
export function hashQuery(name: string): string | null {
  const hash = window.location.hash;
  const at = hash.indexOf('?');
  return at < 0 ? null : new URLSearchParams(hash.slice(at + 1)).get(name);
}

/** The classes of a year as select options, «5А» order. */
export function classOptions(classes: readonly { id: number; name: string; grade: number; letter: string }[] | null) {
  return [...(classes ?? [])]
    .sort((a, b) => a.grade - b.grade || a.letter.localeCompare(b.letter, 'ru'))
    .map((schoolClass) => ({ value: String(schoolClass.id), label: schoolClass.name }));
}

export { plural } from '../../src-shared/rules/plural';

/** «№ 12-у» → «приказ № 12-у»; an order already written as «Приказ № …» stays as it is. */
export function orderText(order: string): string {
  return /^приказ/i.test(order.trim()) ? order.trim() : `приказ ${order.trim()}`;
}
