import { useEffect, useRef, useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import { schoolContract, type AcademicYear, type StudyPeriod } from '../../../src-shared/contract/school';
import { gradeRangeText, periodKindTitles, periodKinds, periodName, ruRange, type PeriodKind } from '../../../src-shared/rules/periods';
import { api } from '../../api/client';
import { useCan } from '../../app/session';
import { ErrorMessage, gradeOptions, Loading, useSchoolToday, useYearChoice } from '../../ui/common';
import { useAction } from '../../api/use-api';
import { ContractForm, FormDate, FormSelect, FormText, useContractForm } from '../../ui/contract-form';

// «Учебный год» (D-10, D-14): years, their study periods per grade range, holidays, closing.

/** The year a new school year most likely is: from September on, this one; before, the last one. */
function suggestedYear(today: string) {
  const [yearText, monthText] = today.split('-');
  const startYear = Number(monthText) >= 6 ? Number(yearText) : Number(yearText) - 1;
  return { name: `${startYear}/${startYear + 1}`, startsOn: `${startYear}-09-01`, endsOn: `${startYear + 1}-08-31` };
}


/** Typical Russian dates (autumn, winter and spring holidays between them), to adjust by hand. */
function typicalPeriods(kind: PeriodKind, startYear: number): { startsOn: string; endsOn: string }[] {
  const next = startYear + 1;
  if (kind === 'quarter') {
    return [
      { startsOn: `${startYear}-09-01`, endsOn: `${startYear}-10-24` },
      { startsOn: `${startYear}-11-05`, endsOn: `${startYear}-12-28` },
      { startsOn: `${next}-01-09`, endsOn: `${next}-03-20` },
      { startsOn: `${next}-03-30`, endsOn: `${next}-05-26` },
    ];
  }
  if (kind === 'trimester') {
    return [
      { startsOn: `${startYear}-09-01`, endsOn: `${startYear}-11-30` },
      { startsOn: `${startYear}-12-01`, endsOn: `${next}-02-28` },
      { startsOn: `${next}-03-01`, endsOn: `${next}-05-26` },
    ];
  }
  return [
    { startsOn: `${startYear}-09-01`, endsOn: `${startYear}-12-28` },
    { startsOn: `${next}-01-09`, endsOn: `${next}-05-26` },
  ];
}

function typicalHolidays(startYear: number) {
  const next = startYear + 1;
  return [
    { name: 'Осенние каникулы', startsOn: `${startYear}-10-25`, endsOn: `${startYear}-11-04` },
    { name: 'Зимние каникулы', startsOn: `${startYear}-12-29`, endsOn: `${next}-01-08` },
    { name: 'Весенние каникулы', startsOn: `${next}-03-21`, endsOn: `${next}-03-29` },
  ];
}

export function YearPage() {
  const choice = useYearChoice();
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const manage = can('school.manage');

  if (choice.error) return <ErrorMessage error={choice.error} />;
  if (!choice.years) return <Loading />;

  return (
    <div className="school-page">
      <div className="year-tabs" role="tablist" aria-label="Учебные годы">
        {choice.years.map((year) => (
          <button
            key={year.id}
            type="button"
            role="tab"
            aria-selected={!creating && year.id === choice.year?.id}
            className="year-tab"
            onClick={() => {
              setCreating(false);
              choice.choose(year.id);
            }}
          >
            {year.name}
            {year.closedAt && <span className="badge badge-warn">закрыт</span>}
          </button>
        ))}
        {manage && (
          <button type="button" className="button" onClick={() => setCreating(true)}>
            Новый учебный год
          </button>
        )}
      </div>
      {creating || choice.years.length === 0 ? (
        manage ? (
          <NewYearForm
            onCreated={async (year) => {
              await choice.reload();
              choice.choose(year.id);
              setCreating(false);
            }}
            onCancel={choice.years.length > 0 ? () => setCreating(false) : undefined}
          />
        ) : (
          <p className="muted">Учебный год ещё не создан: это делает администратор.</p>
        )
      ) : (
        choice.year && <YearDetails key={choice.year.id} year={choice.year} manage={manage} onChanged={choice.reload} />
      )}
    </div>
  );
}

const newYearFields = schoolContract['school.years.create'].input;

function NewYearForm({ onCreated, onCancel }: { onCreated(year: AcademicYear): Promise<void>; onCancel?: () => void }) {
  const today = useSchoolToday();
  const form = useContractForm(newYearFields, suggestedYear(today));
  return (
    <section className="card" aria-label="Новый учебный год">
      <h2>Новый учебный год</h2>
      <ContractForm
        form={form}
        aria-label="Новый учебный год"
        className="form-grid"
        submitLabel="Создать год"
        busyLabel="Создаю…"
        onSubmit={async (values) => onCreated(await api.call('school.years.create', values))}
        actions={
          onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              Отмена
            </button>
          )
        }
      >
        <FormText name="name" label="Название" placeholder="2025/2026" />
        <FormDate name="startsOn" label="Начало" />
        <FormDate name="endsOn" label="Окончание" />
      </ContractForm>
    </section>
  );
}

function YearDetails({ year, manage, onChanged }: { year: AcademicYear; manage: boolean; onChanged(): Promise<void> }) {
  const open = year.closedAt === null;
  const editable = manage && open;
  const periodsByRange = groupByGrades(year.periods);
  const remove = useAction();
  const [confirmClose, setConfirmClose] = useState(false);
  const [editingPeriodId, setEditingPeriodId] = useState<number | null>(null);
  const close = useAction();

  return (
    <>
      <p className="year-summary">
        <strong>{year.name}</strong>: {ruRange(year.startsOn, year.endsOn)}{' '}
        {open ? <span className="badge badge-ok">открыт</span> : <span className="badge badge-warn">закрыт — только чтение и печать</span>}
      </p>
      <div className="columns">
        <section className="card" aria-label="Учебные периоды">
          <h2>Учебные периоды</h2>
          <ErrorMessage error={remove.error} />
          {periodsByRange.length === 0 && <p className="message message-warn">Периоды не заданы: без них нельзя выставить итоговые отметки.</p>}
          {periodsByRange.map(({ label, periods }) => (
            <table key={label} className="table table-compact period-table">
              <caption>{label}</caption>
              <tbody>
                {periods.map((period) =>
                  editingPeriodId === period.id ? (
                    <EditPeriodRow
                      key={period.id}
                      period={period}
                      onDone={async () => {
                        setEditingPeriodId(null);
                        await onChanged();
                      }}
                      onCancel={() => setEditingPeriodId(null)}
                    />
                  ) : (
                  <tr key={period.id}>
                    <td>{period.name}</td>
                    <td className="nowrap">{ruRange(period.startsOn, period.endsOn)}</td>
                    {editable && (
                      <td className="cell-actions">
                        <button type="button" className="button button-link" aria-label={`Изменить: ${period.name}, ${label}`} onClick={() => setEditingPeriodId(period.id)}>
                          Изменить
                        </button>{' '}
                        <button
                          type="button"
                          className="button button-link"
                          aria-label={`Удалить: ${period.name}, ${label}`}
                          disabled={remove.busy}
                          onClick={() => void remove.run(() => api.call('school.periods.remove', { id: period.id }), onChanged)}
                        >
                          Удалить
                        </button>
                      </td>
                    )}
                  </tr>
                  ),
                )}
              </tbody>
            </table>
          ))}
          {editable && <AddPeriodsForm year={year} onAdded={onChanged} />}
        </section>
        <section className="card" aria-label="Каникулы">
          <h2>Каникулы</h2>
          {year.holidays.length === 0 ? (
            <p className="muted">Каникулы не заданы.</p>
          ) : (
            <table className="table table-compact">
              <tbody>
                {[...year.holidays]
                  .sort((a, b) => a.startsOn.localeCompare(b.startsOn))
                  .map((holiday) => (
                    <tr key={holiday.id}>
                      <td>{holiday.name}</td>
                      <td className="nowrap">{ruRange(holiday.startsOn, holiday.endsOn)}</td>
                      {editable && (
                        <td className="cell-actions">
                          <button
                            type="button"
                            className="button button-link"
                            aria-label={`Удалить: ${holiday.name}`}
                            onClick={() => void remove.run(() => api.call('school.holidays.remove', { id: holiday.id }), onChanged)}
                          >
                            Удалить
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          {editable && <AddHolidayForm year={year} onAdded={onChanged} />}
          {manage && open && (
            <div className="danger-zone">
              <h3>Закрытие года</h3>
              <p className="muted small">После закрытия журналы года только читаются и печатаются. Закрывают после перевода классов, к 31 августа.</p>
              <ErrorMessage error={close.error} />
              {confirmClose ? (
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button-danger"
                    disabled={close.busy}
                    onClick={() => void close.run(() => api.call('school.years.close', { id: year.id }), onChanged)}
                  >
                    Да, закрыть {year.name}
                  </button>
                  <button type="button" className="button" onClick={() => setConfirmClose(false)}>
                    Отмена
                  </button>
                </div>
              ) : (
                <button type="button" className="button" onClick={() => setConfirmClose(true)}>
                  Закрыть учебный год…
                </button>
              )}
            </div>
          )}
        </section>
      </div>
    </>
  );
}

function groupByGrades(periods: readonly StudyPeriod[]) {
  const groups = new Map<string, { label: string; from: number; periods: StudyPeriod[] }>();
  for (const period of periods) {
    const label = `${gradeRangeText(period)}, ${periodKindTitles[period.kind as PeriodKind]}`;
    const group = groups.get(label) ?? { label, from: period.gradeFrom, periods: [] };
    group.periods.push(period);
    groups.set(label, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.from - b.from)
    .map((group) => ({ ...group, periods: group.periods.sort((a, b) => a.startsOn.localeCompare(b.startsOn)) }));
}

const periodsFields = schoolContract['school.periods.add'].input.omit({ yearId: true });

function AddPeriodsForm({ year, onAdded }: { year: AcademicYear; onAdded(): Promise<void> }) {
  const startYear = Number(year.startsOn.slice(0, 4));
  const form = useContractForm(periodsFields, { kind: 'quarter', gradeFrom: 1, gradeTo: 9, periods: typicalPeriods('quarter', startYear) });
  const rows = useFieldArray({ control: form.control, name: 'periods' });
  const kind = form.watch('kind');
  // Another kind of period: its typical dates, to adjust by hand.
  const shownKind = useRef(kind);
  useEffect(() => {
    if (shownKind.current === kind) return;
    shownKind.current = kind;
    rows.replace(typicalPeriods(kind, startYear));
  }, [kind, rows, startYear]);

  function preset(nextKind: PeriodKind, from: number, to: number) {
    shownKind.current = nextKind;
    form.setValue('kind', nextKind);
    form.setValue('gradeFrom', from);
    form.setValue('gradeTo', to);
    rows.replace(typicalPeriods(nextKind, startYear));
  }

  return (
    <div className="form-section">
      <h3>Добавить периоды</h3>
      <div className="preset-buttons">
        <button type="button" className="button" onClick={() => preset('quarter', 1, 9)}>
          Четверти для 1–9 классов
        </button>
        <button type="button" className="button" onClick={() => preset('half', 10, 11)}>
          Полугодия для 10–11 классов
        </button>
        <button type="button" className="button" onClick={() => preset('trimester', 1, 11)}>
          Триместры для 1–11 классов
        </button>
      </div>
      <p className="muted small">Кнопки заполняют форму типичными датами — проверьте их по приказу школы.</p>
      <ContractForm
        form={form}
        aria-label="Добавить периоды"
        submitLabel="Добавить периоды"
        busyLabel="Добавляю…"
        onSubmit={async (values) => {
          await api.call('school.periods.add', { ...values, yearId: year.id, periods: values.periods.map((row, index) => ({ ...row, name: periodName(values.kind, index + 1) })) });
          await onAdded();
        }}
      >
        <div className="field-row field-row-3">
          <FormSelect name="kind" label="Вид" options={periodKinds.map((value) => ({ value, label: periodKindTitles[value] }))} />
          <FormSelect name="gradeFrom" label="С класса" numeric options={gradeOptions} />
          <FormSelect name="gradeTo" label="По класс" numeric options={gradeOptions} />
        </div>
        {rows.fields.map((row, index) => (
          <div key={row.id} className="field-row">
            <FormDate name={`periods.${index}.startsOn`} label={`${periodName(kind, index + 1)}: начало`} />
            <FormDate name={`periods.${index}.endsOn`} label={`${periodName(kind, index + 1)}: окончание`} />
          </div>
        ))}
      </ContractForm>
    </div>
  );
}

const holidayFields = schoolContract['school.holidays.add'].input.omit({ yearId: true });
const noHoliday = { name: '', startsOn: '', endsOn: '' };

function AddHolidayForm({ year, onAdded }: { year: AcademicYear; onAdded(): Promise<void> }) {
  const startYear = Number(year.startsOn.slice(0, 4));
  const form = useContractForm(holidayFields, noHoliday);
  return (
    <div className="form-section">
      <h3>Добавить каникулы</h3>
      <div className="preset-buttons">
        {typicalHolidays(startYear).map((holiday) => (
          <button key={holiday.name} type="button" className="button" onClick={() => form.reset(holiday)}>
            {holiday.name.replace(' каникулы', '')}
          </button>
        ))}
      </div>
      <ContractForm
        form={form}
        aria-label="Добавить каникулы"
        submitLabel="Добавить каникулы"
        busyLabel="Добавляю…"
        onSubmit={async (values) => {
          await api.call('school.holidays.add', { ...values, yearId: year.id });
          form.reset(noHoliday);
          await onAdded();
        }}
      >
        <FormText name="name" label="Название" placeholder="Осенние каникулы" />
        <div className="field-row">
          <FormDate name="startsOn" label="Начало каникул" />
          <FormDate name="endsOn" label="Окончание каникул" />
        </div>
      </ContractForm>
    </div>
  );
}

const periodFields = schoolContract['school.periods.update'].input.omit({ id: true });

function EditPeriodRow({ period, onDone, onCancel }: { period: StudyPeriod; onDone(): Promise<void>; onCancel(): void }) {
  const form = useContractForm(periodFields, { name: period.name, startsOn: period.startsOn, endsOn: period.endsOn });
  return (
    <tr className="row-editing">
      <td colSpan={3}>
        <ContractForm
          form={form}
          aria-label={`Изменить: ${period.name}`}
          className="inline-form"
          submitLabel="Сохранить"
          onSubmit={async (values) => {
            await api.call('school.periods.update', { ...values, id: period.id });
            await onDone();
          }}
          actions={
            <button type="button" className="button" onClick={onCancel}>
              Отмена
            </button>
          }
        >
          <FormText name="name" label="Название" size={12} />
          <FormDate name="startsOn" label="Начало" />
          <FormDate name="endsOn" label="Окончание" />
        </ContractForm>
      </td>
    </tr>
  );
}
