import {
  createContext,
  useCallback,
  useContext,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError, asApiError } from '../api/client';
import { DateInput, dateTextProblem } from './date-input';

// Forms submit with Enter (a real <form>), show the core's own Russian message on top and
// the `details` of a validation error beside the field each one names.

interface FormState {
  error: ApiError | null;
  register(name: string): () => void;
}

const FormContext = createContext<FormState>({ error: null, register: () => () => {} });

function issuesFor(error: ApiError | null, name: string): string[] {
  if (!error) return [];
  return error.fieldIssues.filter((issue) => issue.path === name || issue.path.startsWith(`${name}.`)).map((issue) => issue.message);
}

/** The core names the field in brackets for logs; a person sees the field itself. */
function withoutPath(message: string): string {
  return message.replace(/\s\([\w.]+\)$/, '');
}

export interface FormProps {
  /** Throwing an ApiError shows it; anything else thrown is shown as an unexpected error. */
  onSubmit(): Promise<unknown> | unknown;
  submitLabel: string;
  busyLabel?: string;
  children: ReactNode;
  /** Extra buttons beside the submit button. */
  actions?: ReactNode;
  className?: string;
  /** A client-side check before calling the core; return a message to stop. */
  check?(): ApiError | null;
  disabled?: boolean;
  'aria-label'?: string;
}

export function Form({ onSubmit, submitLabel, busyLabel, children, actions, className, check, disabled, ...rest }: FormProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const registered = useRef(new Map<string, number>());

  const register = useCallback((name: string) => {
    registered.current.set(name, (registered.current.get(name) ?? 0) + 1);
    return () => {
      const count = (registered.current.get(name) ?? 1) - 1;
      if (count <= 0) registered.current.delete(name);
      else registered.current.set(name, count);
    };
  }, []);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const refused = check?.() ?? null;
    setError(refused);
    if (refused) return;
    setBusy(true);
    try {
      await onSubmit();
    } catch (thrown) {
      setError(asApiError(thrown));
    } finally {
      setBusy(false);
    }
  }

  // Several issues, each beside its field: the top line only points at them. One issue: the
  // core's own sentence, which says more than the short note beside the field.
  const issues = error?.fieldIssues ?? [];
  const allShownBeside =
    issues.length > 1 && issues.every((issue) => [...registered.current.keys()].some((name) => issue.path === name || issue.path.startsWith(`${name}.`)));
  const topMessage = error ? (allShownBeside ? 'Проверьте поля, отмеченные красным.' : withoutPath(error.message)) : null;

  return (
    <FormContext.Provider value={{ error, register }}>
      <form className={className ? `form ${className}` : 'form'} onSubmit={handleSubmit} noValidate aria-label={rest['aria-label']}>
        {topMessage && (
          <p className="message message-error" role="alert">
            {topMessage}
          </p>
        )}
        {children}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || disabled}>
            {busy ? (busyLabel ?? 'Подождите…') : submitLabel}
          </button>
          {actions}
        </div>
      </form>
    </FormContext.Provider>
  );
}

/** Errors of the surrounding form for one field name, and registers that it is on screen. */
function useFieldErrors(name: string | undefined): string[] {
  const form = useContext(FormContext);
  const { register } = form;
  useLayoutEffect(() => (name ? register(name) : undefined), [name, register]);
  return name ? issuesFor(form.error, name) : [];
}

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  errors: string[];
  id: string;
  children: ReactNode;
}

function FieldFrame({ label, hint, errors, id, children }: FieldFrameProps) {
  return (
    <div className={errors.length > 0 ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      {errors.map((message) => (
        <div key={message} className="field-error" id={`${id}-error`}>
          {message}
        </div>
      ))}
    </div>
  );
}

type TextFieldProps = {
  /** The contract's field name: validation details with this path show here. */
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'name'>;

export function TextField({ name, label, value, onChange, hint, ...input }: TextFieldProps) {
  const id = useId();
  const coreErrors = useFieldErrors(name);
  if (input.type === 'date') {
    const { type: _type, min: _min, max: _max, ...rest } = input;
    return <DateTextField id={id} name={name} label={label} hint={hint} value={value} onChange={onChange} coreErrors={coreErrors} input={rest} />;
  }
  const errors = coreErrors;
  return (
    <FieldFrame label={label} hint={hint} errors={errors} id={id}>
      <input
        id={id}
        name={name}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length > 0 ? `${id}-error` : undefined}
        {...input}
      />
    </FieldFrame>
  );
}

/** Shown and typed as дд.мм.гггг; a text that is not a date says so (once the person leaves the field). */
function DateTextField({
  id,
  name,
  label,
  hint,
  value,
  onChange,
  coreErrors,
  input,
}: {
  id: string;
  name: string;
  label: string;
  hint?: ReactNode;
  value: string;
  onChange(value: string): void;
  coreErrors: string[];
  input: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'name' | 'type' | 'min' | 'max'>;
}) {
  const [left, setLeft] = useState(false);
  const problem = left ? dateTextProblem(value) : null;
  const errors = problem ? [problem] : coreErrors;
  return (
    <FieldFrame label={label} hint={hint} errors={errors} id={id}>
      <DateInput
        id={id}
        name={name}
        value={value}
        onChange={onChange}
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length > 0 ? `${id}-error` : undefined}
        {...input}
        onBlur={() => setLeft(true)}
      />
    </FieldFrame>
  );
}

type TextAreaFieldProps = {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  hint?: ReactNode;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange' | 'name'>;

export function TextAreaField({ name, label, value, onChange, hint, ...area }: TextAreaFieldProps) {
  const id = useId();
  const errors = useFieldErrors(name);
  return (
    <FieldFrame label={label} hint={hint} errors={errors} id={id}>
      <textarea id={id} name={name} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={errors.length > 0} {...area} />
    </FieldFrame>
  );
}

type SelectFieldProps = {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  options: readonly { value: string; label: string }[];
  hint?: ReactNode;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'name'>;

export function SelectField({ name, label, value, onChange, options, hint, ...select }: SelectFieldProps) {
  const id = useId();
  const errors = useFieldErrors(name);
  return (
    <FieldFrame label={label} hint={hint} errors={errors} id={id}>
      <select id={id} name={name} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={errors.length > 0} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxField({ name, label, checked, onChange }: { name: string; label: string; checked: boolean; onChange(checked: boolean): void }) {
  const errors = useFieldErrors(name);
  return (
    <div className={errors.length > 0 ? 'field field-invalid' : 'field'}>
      <label className="checkbox">
        <input type="checkbox" name={name} checked={checked} onChange={(event) => onChange(event.target.checked)} /> {label}
      </label>
      {errors.map((message) => (
        <div key={message} className="field-error">
          {message}
        </div>
      ))}
    </div>
  );
}

/** Several checkboxes for one list field (e.g. roles). */
export function CheckboxGroup<T extends string>({
  name,
  legend,
  options,
  selected,
  onChange,
}: {
  name: string;
  legend: string;
  options: readonly { value: T; label: string }[];
  selected: readonly T[];
  onChange(selected: T[]): void;
}) {
  const errors = useFieldErrors(name);
  return (
    <fieldset className={errors.length > 0 ? 'field checkbox-group field-invalid' : 'field checkbox-group'}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="checkbox">
          <input
            type="checkbox"
            name={name}
            value={option.value}
            checked={selected.includes(option.value)}
            onChange={(event) =>
              onChange(event.target.checked ? [...selected, option.value] : selected.filter((value) => value !== option.value))
            }
          />{' '}
          {option.label}
        </label>
      ))}
      {errors.map((message) => (
        <div key={message} className="field-error">
          {message}
        </div>
      ))}
    </fieldset>
  );
}

/** A client-side refusal shaped like the core's, so it shows the same way. */
export function localValidation(message: string, path?: string): ApiError {
  return new ApiError('validation', message, path ? [{ path, message }] : undefined);
}
