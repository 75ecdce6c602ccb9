import { useEffect, useMemo, useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import { z } from 'zod';
import { bell as bellSchema, schoolContract, type timetableEntry } from '../../../src-shared/contract/school';
import { addDays } from '../../../src-shared/rules/dates';
import { weekdayNames } from '../../../src-shared/rules/timetable';
import { api } from '../../api/client';
import { useCan } from '../../app/session';
import { classOptions, ErrorMessage, hashQuery, Loading, russianDate, Toolbar, useSchoolToday, useYearChoice, YearSelect } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { ContractForm, FormDate, FormSelect, FormText, useContractForm, wholeNumberText } from '../../ui/contract-form';
import { DateFilter } from '../../ui/date-input';

// «Расписание» (D-10; D-6: the secretary too): the bells and the weekly timetable of a class,
// valid from a date. A teacher or room twice at once is refused by the core, naming the clash.

type Bell = z.infer<typeof bellSchema>;
type Entry = z.infer<typeof timetableEntry>;
const weekdays = [1, 2, 3, 4, 5, 6];
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const typicalBells: Bell[] = [
  { lessonNumber: 1, startsAt: '08:30', endsAt: '09:15' },
  { lessonNumber: 2, startsAt: '09:25', endsAt: '10:10' },
  { lessonNumber: 3, startsAt: '10:30', endsAt: '11:15' },
  { lessonNumber: 4, startsAt: '11:35', endsAt: '12:20' },
  { lessonNumber: 5, startsAt: '12:30', endsAt: '13:15' },
  { lessonNumber: 6, startsAt: '13:25', endsAt: '14:10' },
  { lessonNumber: 7, startsAt: '14:20', endsAt: '15:05' },
];

export function TimetablePage() {
  const can = useCan();
  const mayEdit = can('school.people');
  const today = useSchoolToday();
  const choice = useYearChoice();
  const bells = useApiQuery('timetable.bells.get', {});
  const classes = useApiQuery('school.classes.list', choice.year ? { yearId: choice.year.id } : null);
  const options = useMemo(() => classOptions(classes.data), [classes.data]);
  const [classId, setClassId] = useState(() => hashQuery('class') ?? '');
  const [date, setDate] = useState(today);
  const [slot, setSlot] = useState<{ weekday: number; lessonNumber: number } | null>(null);
  const [showBells, setShowBells] = useState(false);

  useEffect(() => {
    if (options.length > 0 && !options.some((option) => option.value === classId)) setClassId(options[0]!.value);
  }, [options, classId]);
  // A year other than today's: show its timetable from its first day.
  useEffect(() => {
    if (choice.year && (date < choice.year.startsOn || date > choice.year.endsOn)) setDate(today >= choice.year.startsOn && today <= choice.year.endsOn ? today : choice.year.startsOn);
  }, [choice.year, date, today]);

  const classReady = choice.year && options.some((option) => option.value === classId);
  const entries = useApiQuery('timetable.list', classReady ? { yearId: choice.year!.id, classId: Number(classId), date: date || undefined } : null);
  const loads = useApiQuery('load.list', classReady ? { yearId: choice.year!.id, classId: Number(classId) } : null);
  const remove = useAction();
  const editable = mayEdit && choice.year?.closedAt === null;

  const lessonNumbers = useMemo(() => {
    const numbers = new Set((bells.data ?? []).map((b) => b.lessonNumber));
    for (const entry of entries.data ?? []) numbers.add(entry.lessonNumber);
    if (numbers.size === 0) for (let n = 1; n <= 7; n++) numbers.add(n);
    return [...numbers].sort((a, b) => a - b);
  }, [bells.data, entries.data]);
  const bellOf = new Map((bells.data ?? []).map((b) => [b.lessonNumber, b]));
  const entriesAt = (weekday: number, lessonNumber: number) => (entries.data ?? []).filter((e) => e.weekday === weekday && e.lessonNumber === lessonNumber);
  const className = options.find((option) => option.value === classId)?.label ?? '';

  return (
    <div className="school-page">
      <Toolbar>
        <YearSelect choice={choice} />
        <label className="inline-choice">
          Класс{' '}
          <select value={classId} onChange={(event) => setClassId(event.target.value)} aria-label="Класс">
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-choice">
          Действует на <DateFilter value={date} onDate={setDate} aria-label="Действует на" />
        </label>
        <button type="button" className="button toolbar-end" aria-expanded={showBells} onClick={() => setShowBells((shown) => !shown)}>
          Расписание звонков
        </button>
      </Toolbar>
      <ErrorMessage error={choice.error ?? classes.error ?? entries.error ?? bells.error} />
      {(showBells || (bells.data !== null && bells.data.length === 0)) && bells.data && (
        <BellsEditor
          bells={bells.data}
          editable={mayEdit}
          onSaved={async () => {
            // Stays open after the first save, so «Звонки сохранены» is seen.
            setShowBells(true);
            await bells.reload();
          }}
        />
      )}
      {slot && classReady && (
        <AddLessonForm
          key={`${slot.weekday}-${slot.lessonNumber}-${classId}`}
          slot={slot}
          className={className}
          loads={loads.data ?? []}
          validFrom={date}
          onCancel={() => setSlot(null)}
          onAdded={async () => {
            setSlot(null);
            await entries.reload();
          }}
        />
      )}
      <ErrorMessage error={remove.error} />
      {classReady &&
        (entries.data === null ? (
          <Loading />
        ) : (
          <table className="table timetable-grid" aria-label={`Расписание ${className}`}>
            <thead>
              <tr>
                <th className="timetable-lesson">Урок</th>
                {weekdays.map((weekday) => (
                  <th key={weekday}>{capitalized(weekdayNames[weekday] ?? '')}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lessonNumbers.map((lessonNumber) => {
                const bell = bellOf.get(lessonNumber);
                return (
                  <tr key={lessonNumber}>
                    <th scope="row" className="timetable-lesson">
                      {lessonNumber}
                      {bell && (
                        <div className="muted small nowrap">
                          {bell.startsAt}–{bell.endsAt}
                        </div>
                      )}
                    </th>
                    {weekdays.map((weekday) => {
                      const here = entriesAt(weekday, lessonNumber);
                      const chosen = slot?.weekday === weekday && slot.lessonNumber === lessonNumber;
                      return (
                        <td key={weekday} className={chosen ? 'timetable-cell timetable-cell-chosen' : 'timetable-cell'}>
                          {here.map((entry) => (
                            <TimetableCellEntry
                              key={entry.id}
                              entry={entry}
                              yearEndsOn={choice.year!.endsOn}
                              editable={editable}
                              shownOn={date}
                              onRemove={() =>
                                // A lesson already in effect is ended the day before, keeping the weeks it was taught;
                                // one that starts on the shown date or later never happened and simply goes.
                                void remove.run(
                                  () => (entry.validFrom < date ? api.call('timetable.end', { id: entry.id, validTo: addDays(date, -1) }) : api.call('timetable.remove', { id: entry.id })),
                                  entries.reload,
                                )
                              }
                            />
                          ))}
                          {editable && (
                            <button
                              type="button"
                              className="timetable-add"
                              aria-label={`Поставить урок: ${weekdayNames[weekday]}, ${lessonNumber} урок`}
                              title="Поставить урок"
                              onClick={() => setSlot({ weekday, lessonNumber })}
                            >
                              +
                            </button>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
      {classReady && date && <p className="muted small">Показано расписание, действующее на {russianDate(date)}. Новый урок ставится с этой даты; снятый — идёт по предыдущий день.</p>}
    </div>
  );
}

function TimetableCellEntry({ entry, yearEndsOn, shownOn, editable, onRemove }: { entry: Entry; yearEndsOn: string; shownOn: string; editable: boolean; onRemove(): void }) {
  const inEffect = entry.validFrom < shownOn;
  return (
    <div className="timetable-entry">
      <div className="timetable-subject">
        {entry.subjectName}
        {entry.subgroupName && <span className="muted"> ({entry.subgroupName})</span>}
      </div>
      <div className="small">{entry.teacherName}</div>
      <div className="small muted">
        {entry.room ? `каб. ${entry.room}` : ''}
        {entry.validTo && entry.validTo < yearEndsOn ? ` до ${russianDate(entry.validTo)}` : ''}
      </div>
      {editable && (
        <button
          type="button"
          className="button button-link small"
          onClick={onRemove}
          title={inEffect ? `Урок идёт с ${russianDate(entry.validFrom)}: последним станет ${russianDate(addDays(shownOn, -1))}` : 'Убрать из расписания'}
          aria-label={`${inEffect ? `Снять с ${russianDate(shownOn)}` : 'Убрать'}: ${entry.subjectName}, ${weekdayNames[entry.weekday]}, ${entry.lessonNumber} урок`}
        >
          {inEffect ? `снять с ${russianDate(shownOn).slice(0, 5)}` : 'убрать'}
        </button>
      )}
    </div>
  );
}

const addLessonFields = schoolContract['timetable.add'].input.pick({ loadId: true, room: true, validFrom: true });

function AddLessonForm({
  slot,
  className,
  loads,
  validFrom,
  onCancel,
  onAdded,
}: {
  slot: { weekday: number; lessonNumber: number };
  className: string;
  loads: { id: number; subjectName: string; subgroupName: string | null; teacherName: string }[];
  validFrom: string;
  onCancel(): void;
  onAdded(): Promise<void>;
}) {
  const loadOptions = loads
    .map((load) => ({ value: String(load.id), label: `${load.subjectName}${load.subgroupName ? ` (${load.subgroupName})` : ''} — ${load.teacherName}` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'ru'));
  const form = useContractForm(addLessonFields, { loadId: loadOptions[0] ? Number(loadOptions[0].value) : undefined, room: '', validFrom });
  const title = `${className}: ${weekdayNames[slot.weekday]}, ${slot.lessonNumber} урок`;
  return (
    <section className="card" aria-label="Поставить урок">
      <h2>{capitalized(title)}</h2>
      {loadOptions.length === 0 ? (
        <p className="message message-warn">
          У класса нет нагрузки: сначала <a href="#/school/load">назначьте учителей</a>.
        </p>
      ) : (
        <ContractForm
          form={form}
          aria-label="Поставить урок"
          submitLabel="Поставить"
          busyLabel="Проверяю…"
          onSubmit={async (values) => {
            await api.call('timetable.add', { ...values, weekday: slot.weekday, lessonNumber: slot.lessonNumber, room: values.room || undefined });
            await onAdded();
          }}
          actions={
            <button type="button" className="button" onClick={onCancel}>
              Отмена
            </button>
          }
        >
          <div className="field-row lesson-row">
            <FormSelect name="loadId" label="Предмет и учитель" numeric options={loadOptions} autoFocus />
            <FormText name="room" label="Кабинет" placeholder="кабинет класса" />
            <FormDate name="validFrom" label="Действует с" />
          </div>
        </ContractForm>
      )}
    </section>
  );
}

// The number of rows is the core's to check; each row is checked here as it is typed.
const bellsFields = z.object({ bells: z.array(bellSchema.extend({ lessonNumber: wholeNumberText(bellSchema.shape.lessonNumber, 'Номер урока — числом') })) });
const bellRow = (bell: Bell) => ({ lessonNumber: String(bell.lessonNumber), startsAt: bell.startsAt, endsAt: bell.endsAt });

function BellsEditor({ bells, editable, onSaved }: { bells: Bell[]; editable: boolean; onSaved(): Promise<void> }) {
  const form = useContractForm(bellsFields, { bells: bells.map(bellRow) });
  const rows = useFieldArray({ control: form.control, name: 'bells' });
  const [saved, setSaved] = useState(false);
  return (
    <section className="card bells" aria-label="Расписание звонков">
      <h2>Расписание звонков</h2>
      {bells.length === 0 && <p className="message message-warn">Звонки не заданы. {editable && 'Заполните типичные и поправьте.'}</p>}
      {editable ? (
        <ContractForm
          form={form}
          aria-label="Расписание звонков"
          submitLabel="Сохранить звонки"
          onSubmit={async (values) => {
            setSaved(false);
            await api.call('timetable.bells.set', values);
            setSaved(true);
            await onSaved();
          }}
          actions={
            <>
              <button
                type="button"
                className="button"
                onClick={() => rows.append({ lessonNumber: String(Number(form.getValues('bells').at(-1)?.lessonNumber ?? 0) + 1), startsAt: '', endsAt: '' })}
              >
                Добавить урок
              </button>
              <button type="button" className="button" onClick={() => rows.replace(typicalBells.map(bellRow))}>
                Типичные звонки
              </button>
            </>
          }
        >
          {saved && (
            <p className="message message-success" role="status">
              Звонки сохранены.
            </p>
          )}
          <div className="bells-rows">
            {rows.fields.map((row, index) => (
              <div key={row.id} className="bells-row">
                <FormText name={`bells.${index}.lessonNumber`} label="№" inputMode="numeric" size={2} />
                <FormText name={`bells.${index}.startsAt`} label="Начало" type="time" />
                <FormText name={`bells.${index}.endsAt`} label="Конец" type="time" />
                <button type="button" className="button button-link" aria-label={`Убрать ${row.lessonNumber} урок из звонков`} onClick={() => rows.remove(index)}>
                  ✕
                </button>
              </div>
            ))}
          </div>
        </ContractForm>
      ) : (
        <ul className="plain-list">
          {bells.map((bell) => (
            <li key={bell.lessonNumber}>
              {bell.lessonNumber} урок: {bell.startsAt}–{bell.endsAt}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
