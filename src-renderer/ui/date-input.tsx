import { useEffect, useState, type InputHTMLAttributes, type Ref } from 'react';
import { russianDate } from '../../src-shared/rules/dates';

// Dates are shown and typed as дд.мм.гггг whatever the PC's locale: the browser's own
// <input type="date"> follows the system language (mm/dd/yyyy on an English Windows).

export const DATE_FORMAT_MESSAGE = 'Введите дату как дд.мм.гггг, например 01.09.2025';

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isoIfReal(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * What a person typed → 'YYYY-MM-DD', or null when it is not a calendar date. Accepts
 * дд.мм.гггг (also with / or - between, one-digit day or month), ддммгггг, and an ISO date
 * (pasted from a file).
 */
export function parseTypedDate(typed: string): string | null {
  const text = typed.trim();
  const iso = isoPattern.exec(text);
  if (iso) return isoIfReal(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const parts = /^(\d{1,2})[./,-](\d{1,2})[./,-](\d{4})$/.exec(text) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  if (!parts) return null;
  return isoIfReal(Number(parts[3]), Number(parts[2]), Number(parts[1]));
}

/** Dots go in by themselves as digits are typed: «1210» → «12.10». */
export function withDots(typed: string): string {
  if (!/^\d+$/.test(typed) || typed.length <= 2 || typed.length === 8) return typed;
  if (typed.length <= 4) return `${typed.slice(0, 2)}.${typed.slice(2)}`;
  return `${typed.slice(0, 2)}.${typed.slice(2, 4)}.${typed.slice(4, 8)}`;
}

const shown = (value: string): string => (isoPattern.test(value) ? russianDate(value) : value);

export type DateInputProps = {
  /** 'YYYY-MM-DD', '' for none, or the text typed so far when it is not a date yet. */
  value: string;
  onChange(value: string): void;
  ref?: Ref<HTMLInputElement>;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max'>;

/** A text field for one date in дд.мм.гггг; hands the form an ISO date. */
export function DateInput({ value, onChange, onBlur, ...input }: DateInputProps) {
  const [text, setText] = useState(() => shown(value));
  // A value set from outside (a reset, another field) replaces what is shown.
  useEffect(() => {
    setText((current) => (parseTypedDate(current) === value || current === value ? current : shown(value)));
  }, [value]);

  return (
    <input
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder="дд.мм.гггг"
      maxLength={10}
      {...input}
      value={text}
      onChange={(event) => {
        const typed = withDots(event.target.value);
        setText(typed);
        const iso = parseTypedDate(typed);
        onChange(typed.trim() === '' ? '' : (iso ?? typed));
      }}
      onBlur={(event) => {
        const iso = parseTypedDate(text);
        if (iso) setText(russianDate(iso));
        onBlur?.(event);
      }}
    />
  );
}

/** The message for a date field whose text is not a date (null when it is one or empty). */
export function dateTextProblem(value: string): string | null {
  return value === '' || isoPattern.test(value) ? null : DATE_FORMAT_MESSAGE;
}

export type DateFilterProps = {
  /** 'YYYY-MM-DD', or '' for none. */
  value: string;
  /** Called with a real date only (or '' when the field is emptied and `optional`). */
  onDate(iso: string): void;
  /** Emptying the field clears the date; otherwise an empty field keeps the last date. */
  optional?: boolean;
} & Omit<DateInputProps, 'value' | 'onChange'>;

/**
 * A date outside a form (a toolbar, a filter, a one-line form): the page hears of real dates
 * only, and a text that is not one says so beside the field once the person leaves it.
 */
export function DateFilter({ value, onDate, optional, onBlur, ...input }: DateFilterProps) {
  const [typed, setTyped] = useState(value);
  const [left, setLeft] = useState(false);
  useEffect(() => setTyped(value), [value]);
  const problem = left ? (typed === '' && !optional ? DATE_FORMAT_MESSAGE : dateTextProblem(typed)) : null;
  return (
    <span className="date-filter">
      <DateInput
        {...input}
        value={value}
        aria-invalid={problem !== null}
        onChange={(next) => {
          setTyped(next);
          if (isoPattern.test(next) || (optional && next === '')) onDate(next);
        }}
        onBlur={(event) => {
          setLeft(true);
          onBlur?.(event);
        }}
      />
      {problem && (
        <span className="field-error" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
