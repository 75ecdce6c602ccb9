import { zodResolver } from '@hookform/resolvers/zod';
import { createContext, useCallback, useContext, useId, useLayoutEffect, useRef, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { FormProvider, get, useController, useForm, useFormContext, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { z } from 'zod';
import { ApiError, asApiError } from '../api/client';
import { DateInput, dateTextProblem } from './date-input';

// The one way forms are built: react-hook-form over the contract's own zod schema (the core
// checks the same schema again), so a field says what is wrong as soon as the person leaves
// it and again on every keystroke after that, in the contract's Russian words. What only
// the core can know (a future date, a locked period) comes back from the call and is shown
// beside the field it names, or above the form.

type Schema<T extends FieldValues> = z.ZodType<T, FieldValues>;

/** A form over a contract schema (often the method's input without the fields not on screen). */
export function useContractForm<TIn extends FieldValues, TOut extends FieldValues>(
  schema: z.ZodType<TOut, TIn>,
  defaultValues: DefaultValues<TIn>,
): UseFormReturn<TIn, unknown, TOut> {
  return useForm<TIn, unknown, TOut>({
    // The resolver's overloads cannot see through a generic schema; the types line up by construction.
    resolver: zodResolver(schema as unknown as Schema<TIn>) as never,
    mode: 'onTouched',
    defaultValues,
  });
}

/** A whole number typed into a text field, then checked by the contract's own number schema. */
export function wholeNumberText<T extends z.ZodType<number, number>>(contractNumber: T, notANumber: string) {
  return z.string().trim().regex(/^\d+$/, notANumber).transform(Number).pipe(contractNumber);
}

/** Labels of the fields on screen by name, so the submit button can say which are wrong. */
const FieldLabels = createContext<(name: string, label: string) => () => void>(() => () => {});

function useLabel(name: string, label: string): void {
  const register = useContext(FieldLabels);
  useLayoutEffect(() => register(name, label), [register, name, label]);
}

/** Every path in react-hook-form's nested errors that carries a message. */
function errorPaths(errors: unknown, prefix = ''): string[] {
  if (!errors || typeof errors !== 'object') return [];
  const here = errors as { message?: unknown; ref?: unknown; type?: unknown };
  if (typeof here.message === 'string' && (here.type !== undefined || here.ref !== undefined)) return [prefix];
  return Object.entries(errors as Record<string, unknown>)
    .filter(([key]) => key !== 'ref' && key !== 'root')
    .flatMap(([key, value]) => errorPaths(value, prefix ? `${prefix}.${key}` : key));
}

/** The core names the field in brackets for logs; a person sees the field itself. */
function withoutPath(message: string): string {
  return message.replace(/\s\([\w.]+\)$/, '');
}

export interface ContractFormProps<TIn extends FieldValues, TOut extends FieldValues> {
  form: UseFormReturn<TIn, unknown, TOut>;
  /** Throwing an ApiError shows it beside its field or above the form. */
  onSubmit(values: TOut): Promise<unknown> | unknown;
  submitLabel: string;
  busyLabel?: string;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
  disabled?: boolean;
  'aria-label'?: string;
}

export function ContractForm<TIn extends FieldValues, TOut extends FieldValues>({
  form,
  onSubmit,
  submitLabel,
  busyLabel,
  children,
  actions,
  className,
  disabled,
  ...rest
}: ContractFormProps<TIn, TOut>) {
  const [failure, setFailure] = useState<string | null>(null);
  const labels = useRef(new Map<string, string>());
  const registerLabel = useCallback((name: string, label: string) => {
    labels.current.set(name, label);
    return () => {
      if (labels.current.get(name) === label) labels.current.delete(name);
    };
  }, []);
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await onSubmit(values);
    } catch (thrown) {
      const error: ApiError = asApiError(thrown);
      const onScreen = Object.keys(form.getValues());
      const placed = error.fieldIssues.filter((issue) => onScreen.includes(issue.path.split('.')[0]!));
      for (const issue of placed) form.setError(issue.path as Path<TIn>, { type: 'server', message: withoutPath(issue.message) }, { shouldFocus: true });
      // One issue: the core's own sentence says more than the short note beside the field.
      setFailure(placed.length > 1 && placed.length === error.fieldIssues.length ? 'Проверьте поля, отмеченные красным.' : withoutPath(error.message));
    }
  });

  // After a try to submit, the button says what still stops it, by the fields' own labels.
  const { errors, submitCount, isSubmitting } = form.formState;
  const wrong = submitCount > 0 && !isSubmitting ? errorPaths(errors) : [];
  // Named in the order the fields stand on screen (the order they registered).
  const onScreen = [...labels.current.keys()];
  const wrongFields = wrong.map((path) => {
    const parts = path.split('.');
    for (let length = parts.length; length > 0; length -= 1) {
      const name = parts.slice(0, length).join('.');
      if (labels.current.has(name)) return name;
    }
    return null;
  });
  const wrongLabels = [
    ...new Set(
      [...wrongFields]
        .sort((a, b) => (a === null ? 1 : b === null ? -1 : onScreen.indexOf(a) - onScreen.indexOf(b)))
        .map((name) => (name === null ? null : labels.current.get(name)!)),
    ),
  ];
  const missingNote =
    wrong.length === 0 ? null : wrongLabels.includes(null) || wrongLabels.length === 0 ? 'Исправьте поля, отмеченные красным.' : `Исправьте: ${wrongLabels.join(', ')}.`;

  return (
    <FormProvider {...form}>
      <FieldLabels.Provider value={registerLabel}>
        <form className={className ? `form ${className}` : 'form'} onSubmit={(event) => void submit(event)} noValidate aria-label={rest['aria-label']}>
          {failure && (
            <p className="message message-error" role="alert">
              {failure}
            </p>
          )}
          {children}
          <div className="form-actions">
            {/* Pressing the button does not take the focus first: the field's blur would show its
                message, move the button down and let the click land beside it. */}
            <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting || disabled} onMouseDown={(event) => event.preventDefault()}>
              {form.formState.isSubmitting ? (busyLabel ?? 'Подождите…') : submitLabel}
            </button>
            {actions}
            {missingNote && (
              <span className="form-missing" aria-live="polite">
                {missingNote}
              </span>
            )}
          </div>
        </form>
      </FieldLabels.Provider>
    </FormProvider>
  );
}

/** The message for one field: its own, else the first of its items (a list field). */
function useFieldError(name: string): string | null {
  const { formState } = useFormContext();
  const error = get(formState.errors, name) as { message?: string } | Array<{ message?: string }> | undefined;
  if (!error) return null;
  if (Array.isArray(error)) return error.find((item) => item?.message)?.message ?? null;
  return error.message ?? null;
}

function Frame({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error: string | null; children: ReactNode }) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <div className="field-hint">{hint}</div>}
      {error && (
        <div className="field-error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

const invalidProps = (id: string, error: string | null) => ({ 'aria-invalid': error !== null, 'aria-describedby': error ? `${id}-error` : undefined });

type InputProps = { name: string; label: string; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, 'name'>;

export function FormText({ name, label, hint, ...input }: InputProps) {
  const id = useId();
  useLabel(name, label);
  const { register } = useFormContext();
  const error = useFieldError(name);
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <input id={id} {...input} {...register(name)} {...invalidProps(id, error)} />
    </Frame>
  );
}

type AreaProps = { name: string; label: string; hint?: ReactNode } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name'>;

export function FormTextArea({ name, label, hint, ...area }: AreaProps) {
  const id = useId();
  useLabel(name, label);
  const { register } = useFormContext();
  const error = useFieldError(name);
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <textarea id={id} {...area} {...register(name)} {...invalidProps(id, error)} />
    </Frame>
  );
}

type SelectProps = {
  name: string;
  label: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
  /** The field holds a number (an id, a lesson number); '' is null. */
  numeric?: boolean;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'>;

export function FormSelect({ name, label, hint, options, numeric, ...select }: SelectProps) {
  const id = useId();
  useLabel(name, label);
  const { control } = useFormContext();
  const { field } = useController({ name, control });
  const error = useFieldError(name);
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        {...select}
        name={field.name}
        ref={field.ref}
        value={field.value === null || field.value === undefined ? '' : String(field.value)}
        onChange={(event) => field.onChange(numeric ? (event.target.value === '' ? null : Number(event.target.value)) : event.target.value)}
        onBlur={field.onBlur}
        {...invalidProps(id, error)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

type DateProps = {
  name: string;
  label: string;
  hint?: ReactNode;
  /** '' becomes null (an optional date). */
  nullable?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'value' | 'onChange' | 'type' | 'min' | 'max'>;

/** A date shown and typed as дд.мм.гггг; the form holds 'YYYY-MM-DD'. */
export function FormDate({ name, label, hint, nullable, ...input }: DateProps) {
  const id = useId();
  useLabel(name, label);
  const { control } = useFormContext();
  const { field, fieldState } = useController({ name, control });
  const value = typeof field.value === 'string' ? field.value : '';
  const problem = fieldState.isTouched || fieldState.error ? dateTextProblem(value) : null;
  const error = problem ?? fieldState.error?.message ?? null;
  return (
    <Frame id={id} label={label} hint={hint} error={error}>
      <DateInput
        id={id}
        {...input}
        name={field.name}
        ref={field.ref}
        value={value}
        onChange={(next) => field.onChange(nullable && next === '' ? null : next)}
        onBlur={field.onBlur}
        {...invalidProps(id, error)}
      />
    </Frame>
  );
}

export function FormCheckbox({ name, label }: { name: string; label: string }) {
  useLabel(name, label);
  const { register } = useFormContext();
  const error = useFieldError(name);
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label className="checkbox">
        <input type="checkbox" {...register(name)} /> {label}
      </label>
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}

/** Several checkboxes for one list field (roles, work types). */
export function FormCheckboxGroup<T extends string | number>({ name, legend, options, className }: { name: string; legend: string; options: readonly { value: T; label: string }[]; className?: string }) {
  useLabel(name, legend);
  const { control } = useFormContext();
  const { field } = useController({ name, control });
  const selected = (field.value ?? []) as T[];
  const error = useFieldError(name);
  return (
    <fieldset className={['field checkbox-group', className, error && 'field-invalid'].filter(Boolean).join(' ')}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={String(option.value)} className="checkbox">
          <input
            type="checkbox"
            name={name}
            value={String(option.value)}
            checked={selected.includes(option.value)}
            onChange={(event) => field.onChange(event.target.checked ? [...selected, option.value] : selected.filter((value) => value !== option.value))}
            onBlur={field.onBlur}
          />{' '}
          {option.label}
        </label>
      ))}
      {error && <div className="field-error">{error}</div>}
    </fieldset>
  );
}

/** A number typed with a comma or a point («4,5»), then checked by the contract's own number schema. */
export function decimalText<T extends z.ZodType<number, number>>(contractNumber: T, notANumber: string) {
  return z
    .string()
    .trim()
    .regex(/^\d+([.,]\d+)?$/, notANumber)
    .transform((typed) => Number(typed.replace(',', '.')))
    .pipe(contractNumber);
}

/**
 * Keeps a select's value among its options when they change under it (the subjects of the
 * chosen class, the subgroups of the chosen subject): a value no longer offered becomes the
 * first one offered, or `empty` when there is none.
 */
export function useKeptChoice<TIn extends FieldValues, TOut extends FieldValues>(form: UseFormReturn<TIn, unknown, TOut>, name: Path<TIn>, offered: readonly unknown[], empty: unknown = null): void {
  const current: unknown = form.watch(name);
  const key = offered.map(String).join('|');
  useLayoutEffect(() => {
    const next = offered[0] ?? empty;
    if (offered.includes(current) || current === next) return;
    form.setValue(name, next as never, { shouldValidate: form.formState.submitCount > 0 });
    // `key` stands for the offered values (a new array on every render).
  }, [key, current, form, name, empty]);
}

/** An optional contract field typed into a text box (a password that may be left out): empty is not sent. */
export function blankAsAbsent<T>(contractField: z.ZodType<T, string>) {
  return z
    .string()
    .transform((typed) => (typed === '' ? undefined : typed))
    .pipe(contractField.optional());
}

/** A select whose options are numbers and words (a period's id or «year»): the chosen value as the contract has it. */
export function optionValue<T>(contractField: z.ZodType<T, string | number>) {
  return z
    .string()
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value))
    .pipe(contractField);
}

/** A numeric select that starts on «— выберите … —» (null): says so in words until something is chosen. */
export function requiredChoice<T>(contractField: z.ZodType<T, number>, nothingChosen: string) {
  return z
    .number()
    .nullable()
    .transform((value, context) => {
      if (value !== null) return value;
      context.addIssue({ code: 'custom', message: nothingChosen });
      return z.NEVER;
    })
    .pipe(contractField);
}
