import { useEffect, useMemo, useState } from 'react';
import { schoolContract, type StudentRow } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { useCan, useSession } from '../../app/session';
import { classOptions, ErrorMessage, hashQuery, Loading, orderText, russianDate, SplitPanel, Toolbar, useSchoolToday, useYearChoice, YearSelect } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormDate, FormSelect, FormText, useContractForm } from '../../ui/contract-form';
import { MovementReport } from './MovementReport';
import { StudentPanel } from './StudentPanel';
import { DateFilter } from '../../ui/date-input';

// «Ученики» (D-13, D-45): a class list on a date, admission, the student card with movement,
// consents and parents; the arrived and departed for a period. What a reader may not see
// (152-ФЗ: a subject teacher no birth dates, consents or parents) comes empty from the core
// and its columns are left out.

type Selection = { mode: 'new' } | { mode: 'card'; id: number } | null;

export function StudentsPage() {
  const [tab, setTab] = useState<'lists' | 'movement'>('lists');
  return (
    <div className="school-page">
      <div className="tabs" role="tablist" aria-label="Ученики">
        <button type="button" role="tab" className="tab" aria-selected={tab === 'lists'} onClick={() => setTab('lists')}>
          Списки классов
        </button>
        <button type="button" role="tab" className="tab" aria-selected={tab === 'movement'} onClick={() => setTab('movement')}>
          Прибывшие и выбывшие
        </button>
      </div>
      {tab === 'lists' ? <ClassLists /> : <MovementReport />}
    </div>
  );
}

function ClassLists() {
  const can = useCan();
  const { user } = useSession();
  const mayEdit = can('school.people');
  const today = useSchoolToday();
  const choice = useYearChoice();
  const classes = useApiQuery('school.classes.list', choice.year ? { yearId: choice.year.id } : null);
  const options = useMemo(() => classOptions(classes.data), [classes.data]);
  // A class teacher starts at her own class.
  const [classId, setClassId] = useState<string>(() => hashQuery('class') ?? (user.classTeacherOf[0] ? String(user.classTeacherOf[0].id) : ''));
  const [date, setDate] = useState(today);
  const [withHistory, setWithHistory] = useState(false);
  const [selection, setSelection] = useState<Selection>(null);

  // The first class once the list arrives, unless one is chosen (or came in the link).
  useEffect(() => {
    if (options.length > 0 && !options.some((option) => option.value === classId)) setClassId(options[0]!.value);
  }, [options, classId]);

  const students = useApiQuery(
    'students.list',
    choice.year && classId && options.some((option) => option.value === classId) ? { yearId: choice.year.id, classId: Number(classId), date: date || undefined, withHistory } : null,
  );
  const rows = useMemo(() => [...(students.data ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru')), [students.data]);
  const withoutConsent = rows.filter((row) => row.consentMissing && !row.enrollment.departedOn).length;
  const withoutParent = rows.filter((row) => row.parentMissing && !row.enrollment.departedOn).length;
  const schoolClass = classes.data?.find((c) => String(c.id) === classId);
  const editable = mayEdit && choice.year?.closedAt === null;
  // The class teacher keeps her class's student and parent data (D-5); the secretary everyone's.
  const keeps = (mayEdit || (schoolClass !== undefined && schoolClass.classTeacherId === user.id)) && choice.year?.closedAt === null;
  const columns = { birthDate: rows.some((row) => row.personalData !== 'names'), full: rows.some((row) => row.personalData === 'full') };
  // Full names that coincide are shown by their labels (birth date or number) to tell them apart.
  const sameFullName = useMemo(() => {
    const seen = new Map<string, number>();
    for (const row of rows) seen.set(row.fullName.toLowerCase(), (seen.get(row.fullName.toLowerCase()) ?? 0) + 1);
    return (row: StudentRow) => (seen.get(row.fullName.toLowerCase()) ?? 0) > 1;
  }, [rows]);

  return (
    <div className="split">
      <section className="split-main" aria-label="Список класса">
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
            На дату <DateFilter value={date} onDate={setDate} aria-label="На дату" />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={withHistory} onChange={(event) => setWithHistory(event.target.checked)} /> с выбывшими
          </label>
          {editable && schoolClass && (
            <button type="button" className="button button-primary toolbar-end" onClick={() => setSelection({ mode: 'new' })}>
              Зачислить ученика
            </button>
          )}
        </Toolbar>
        <ErrorMessage error={choice.error ?? classes.error ?? students.error} />
        {classes.data && options.length === 0 && (
          <p className="message message-warn">
            В этом году нет классов. <a href="#/school/classes">Создайте класс</a> или <a href="#/school/import">загрузите список из файла</a>.
          </p>
        )}
        {withoutConsent > 0 && (
          <p className="message message-warn" role="status">
            Без согласия на обработку персональных данных: {withoutConsent} (152-ФЗ).
          </p>
        )}
        {withoutParent > 0 && (
          <p className="message message-warn" role="status">
            Родитель не указан: {withoutParent} — их выписки классный руководитель передаёт сам.
          </p>
        )}
        {students.data === null && students.loading ? (
          <Loading />
        ) : (
          schoolClass && (
            <table className="table table-selectable table-compact" aria-label={`Ученики ${schoolClass.name}`}>
              <thead>
                <tr>
                  <th className="cell-number">№</th>
                  <th>ФИО</th>
                  {columns.birthDate && <th>Дата рождения</th>}
                  <th>Зачислен</th>
                  <th>Выбыл</th>
                  {columns.full && <th>Согласие на обработку ПДн</th>}
                  {columns.full && <th>Родители</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((student, index) => (
                  <StudentTableRow
                    key={student.id}
                    number={index + 1}
                    student={student}
                    name={sameFullName(student) ? student.label : student.fullName}
                    columns={columns}
                    selected={selection?.mode === 'card' && selection.id === student.id}
                    onOpen={() => setSelection({ mode: 'card', id: student.id })}
                  />
                ))}
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      На {russianDate(date || today)} в {schoolClass.name} учеников нет.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          )
        )}
      </section>
      {selection?.mode === 'new' && schoolClass && choice.year && (
        <NewStudentPanel
          classId={schoolClass.id}
          className={schoolClass.name}
          defaultDate={today >= choice.year.startsOn && today <= choice.year.endsOn ? today : choice.year.startsOn}
          onClose={() => setSelection(null)}
          onCreated={async (id) => {
            await students.reload();
            await classes.reload();
            setSelection({ mode: 'card', id });
          }}
        />
      )}
      {selection?.mode === 'card' && (
        <StudentPanel
          key={selection.id}
          studentId={selection.id}
          editable={editable}
          keeps={keeps}
          classOptions={options}
          onClose={() => setSelection(null)}
          onChanged={async () => {
            await students.reload();
          }}
        />
      )}
    </div>
  );
}

function StudentTableRow({
  number,
  student,
  name,
  columns,
  selected,
  onOpen,
}: {
  number: number;
  student: StudentRow;
  name: string;
  columns: { birthDate: boolean; full: boolean };
  selected: boolean;
  onOpen(): void;
}) {
  const departed = student.enrollment.departedOn !== null;
  return (
    <tr aria-selected={selected} onClick={onOpen} className={departed ? 'row-departed' : undefined}>
      <td className="cell-number">{number}</td>
      <td>
        <button type="button" className="row-link" onClick={onOpen}>
          {name}
        </button>
      </td>
      {columns.birthDate && <td className="nowrap">{student.birthDate ? russianDate(student.birthDate) : <span className="muted">—</span>}</td>}
      <td className="nowrap">
        {russianDate(student.enrollment.arrivedOn)}
        {student.enrollment.arrivalOrder && <span className="muted small"> {orderText(student.enrollment.arrivalOrder)}</span>}
      </td>
      <td className="nowrap">
        {student.enrollment.departedOn ? (
          <>
            {russianDate(student.enrollment.departedOn)}
            {student.enrollment.departureOrder && <span className="muted small"> {orderText(student.enrollment.departureOrder)}</span>}
          </>
        ) : (
          ''
        )}
      </td>
      {columns.full && (
        <td>{student.consentMissing === null ? '' : student.consentMissing ? <span className="badge badge-bad">нет согласия</span> : <span className="badge badge-ok">есть</span>}</td>
      )}
      {columns.full && <td>{student.parentMissing ? <span className="badge badge-warn">родитель не указан</span> : student.parentMissing === false ? <span className="badge badge-ok">указаны</span> : ''}</td>}
    </tr>
  );
}

const admitFields = schoolContract['students.create'].input.omit({ classId: true });

function NewStudentPanel({
  classId,
  className,
  defaultDate,
  onClose,
  onCreated,
}: {
  classId: number;
  className: string;
  defaultDate: string;
  onClose(): void;
  onCreated(id: number): Promise<void>;
}) {
  const form = useContractForm(admitFields, { surname: '', name: '', patronymic: '', birthDate: null, gender: '', arrivedOn: defaultDate, arrivalOrder: '' });
  const title = `Зачисление в ${className}`;
  return (
    <SplitPanel label={title} heading={title} onClose={onClose}>
      <ContractForm
        form={form}
        aria-label={title}
        className="panel-section"
        submitLabel="Зачислить"
        busyLabel="Сохраняю…"
        onSubmit={async (values) => {
          const created = await api.call('students.create', { classId, ...values });
          await onCreated(created.id);
        }}
        actions={
          <button type="button" className="button" onClick={onClose}>
            Отмена
          </button>
        }
      >
        <FormText name="surname" label="Фамилия" autoFocus />
        <div className="field-row">
          <FormText name="name" label="Имя" />
          <FormText name="patronymic" label="Отчество" />
        </div>
        <div className="field-row">
          <FormDate name="birthDate" label="Дата рождения" nullable />
          <FormSelect
            name="gender"
            label="Пол"
            options={[
              { value: '', label: '—' },
              { value: 'м', label: 'мужской' },
              { value: 'ж', label: 'женский' },
            ]}
          />
        </div>
        <div className="field-row">
          <FormDate name="arrivedOn" label="Дата зачисления" />
          <FormText name="arrivalOrder" label="Приказ о зачислении" placeholder="№ 45-у" />
        </div>
        <p className="muted small">Согласие на обработку персональных данных регистрируется в карточке ученика после зачисления.</p>
      </ContractForm>
    </SplitPanel>
  );
}
