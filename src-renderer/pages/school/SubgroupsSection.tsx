import { useMemo, useState } from 'react';
import { schoolContract, type AcademicYear } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { ErrorMessage, Loading, russianDate, useSchoolToday } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { Form, SelectField, TextField } from '../../ui/form';
import { ContractForm, FormSelect, FormText, useContractForm } from '../../ui/contract-form';

/**
 * Subgroups of one class (D-12): «1 группа», «2 группа» of a subject, their members on a date,
 * adding students, and moving a student to another subgroup — only from the first day of a
 * period; the core refuses other dates and says which dates are allowed.
 */
export function SubgroupsSection({
  classId,
  year,
  subjects,
  editable,
  onChanged,
}: {
  classId: number;
  year: AcademicYear;
  subjects: { id: number; name: string }[];
  editable: boolean;
  onChanged(): Promise<void>;
}) {
  const today = useSchoolToday();
  const classes = useApiQuery('school.classes.list', { yearId: year.id });
  const grade = classes.data?.find((c) => c.id === classId)?.grade;
  // D-12: the days a move may take effect — the first days of this grade's periods.
  const periodStarts = year.periods
    .filter((period) => grade !== undefined && period.gradeFrom <= grade && grade <= period.gradeTo)
    .map((period) => period.startsOn)
    .sort();
  const nextStart = periodStarts.find((start) => start > today) ?? periodStarts[periodStarts.length - 1];
  const onDate = today >= year.startsOn && today <= year.endsOn ? today : year.startsOn;
  const subgroups = useApiQuery('school.subgroups.list', { classId, date: onDate });
  const students = useApiQuery('students.list', { yearId: year.id, classId, date: onDate });

  async function changed() {
    await subgroups.reload();
    await onChanged();
  }

  const bySubject = useMemo(() => {
    const map = new Map<number, { subjectName: string; groups: NonNullable<typeof subgroups.data> }>();
    for (const group of subgroups.data ?? []) {
      const entry = map.get(group.subjectId) ?? { subjectName: group.subjectName, groups: [] };
      entry.groups.push(group);
      map.set(group.subjectId, entry);
    }
    return [...map.entries()];
  }, [subgroups.data]);

  return (
    <section className="card subgroups" aria-label="Подгруппы">
      <h2>Подгруппы класса</h2>
      <ErrorMessage error={subgroups.error ?? students.error} />
      {subgroups.data === null ? (
        <Loading />
      ) : bySubject.length === 0 ? (
        <p className="muted">Подгрупп нет: предметы ведутся всем классом.</p>
      ) : (
        bySubject.map(([subjectId, { subjectName, groups }]) => {
          const inSomeGroup = new Set(groups.flatMap((group) => group.members.map((member) => member.studentId)));
          const ungrouped = (students.data ?? []).filter((student) => !inSomeGroup.has(student.id));
          return (
            <div key={subjectId} className="subgroup-subject">
              <h3>{subjectName}</h3>
              <div className="subgroup-columns">
                {groups.map((group) => (
                  <div key={group.id} className="subgroup-box" aria-label={`${subjectName}: ${group.name}`}>
                    <div className="subgroup-title">
                      {group.name} <span className="muted small">({group.members.length})</span>
                    </div>
                    {group.members.length === 0 && <p className="muted small">пока никого</p>}
                    <ol className="plain-list small">
                      {group.members.map((member) => (
                        <li key={member.studentId}>
                          {member.fullName} <span className="muted">с {russianDate(member.fromDate)}</span>
                        </li>
                      ))}
                    </ol>
                  </div>
                ))}
              </div>
              {ungrouped.length > 0 && (
                <p className="message message-warn small">
                  Не распределены: {ungrouped.map((student) => student.fullName).join(', ')}.
                </p>
              )}
              {editable && (
                <div className="columns">
                  {ungrouped.length > 0 && <AddMembersForm groups={groups} candidates={ungrouped} defaultDate={onDate} onDone={changed} />}
                  {groups.length > 1 && inSomeGroup.size > 0 && <MoveForm groups={groups} defaultDate={nextStart ?? onDate} periodStarts={periodStarts} onDone={changed} />}
                </div>
              )}
            </div>
          );
        })
      )}
      {editable && <NewSubgroupForm classId={classId} subjects={subjects} onCreated={changed} />}
    </section>
  );
}

const subgroupFields = schoolContract['school.subgroups.create'].input.omit({ classId: true });

function NewSubgroupForm({ classId, subjects, onCreated }: { classId: number; subjects: { id: number; name: string }[]; onCreated(): Promise<void> }) {
  const form = useContractForm(subgroupFields, { subjectId: subjects[0]?.id, name: '1 группа' });
  return (
    <ContractForm
      form={form}
      aria-label="Новая подгруппа"
      className="inline-form form-section"
      submitLabel="Создать подгруппу"
      disabled={subjects.length === 0}
      onSubmit={async (values) => {
        await api.call('school.subgroups.create', { classId, ...values });
        await onCreated();
        // The usual next one: «1 группа» → «2 группа».
        form.reset({ subjectId: values.subjectId, name: values.name.replace(/^(\d+)/, (number) => String(Number(number) + 1)) });
      }}
    >
      <FormSelect name="subjectId" label="Предмет" numeric options={subjects.map((s) => ({ value: String(s.id), label: s.name }))} />
      <FormText name="name" label="Название подгруппы" />
    </ContractForm>
  );
}

function AddMembersForm({
  groups,
  candidates,
  defaultDate,
  onDone,
}: {
  groups: { id: number; name: string }[];
  candidates: { id: number; fullName: string }[];
  defaultDate: string;
  onDone(): Promise<void>;
}) {
  const [subgroupId, setSubgroupId] = useState(String(groups[0]?.id ?? ''));
  const [chosen, setChosen] = useState<number[]>([]);
  const [fromDate, setFromDate] = useState(defaultDate);
  return (
    <Form
      aria-label="Включить в подгруппу"
      className="card-inner"
      submitLabel="Включить в подгруппу"
      disabled={chosen.length === 0}
      onSubmit={async () => {
        await api.call('school.subgroups.addMembers', { subgroupId: Number(subgroupId), studentIds: chosen, fromDate });
        setChosen([]);
        await onDone();
      }}
    >
      <h3>Включить в подгруппу</h3>
      <div className="field-row">
        <SelectField name="subgroupId" label="Подгруппа" value={subgroupId} onChange={setSubgroupId} options={groups.map((g) => ({ value: String(g.id), label: g.name }))} />
        <TextField name="fromDate" label="С даты" type="date" value={fromDate} onChange={setFromDate} />
      </div>
      <fieldset className="checkbox-group student-picks">
        <legend>Ученики</legend>
        {candidates.map((student) => (
          <label key={student.id} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.includes(student.id)}
              onChange={(event) => setChosen((current) => (event.target.checked ? [...current, student.id] : current.filter((id) => id !== student.id)))}
            />{' '}
            {student.fullName}
          </label>
        ))}
      </fieldset>
    </Form>
  );
}

function MoveForm({
  groups,
  defaultDate,
  periodStarts,
  onDone,
}: {
  groups: { id: number; name: string; members: { studentId: number; fullName: string }[] }[];
  defaultDate: string;
  periodStarts: string[];
  onDone(): Promise<void>;
}) {
  const members = groups.flatMap((group) => group.members.map((member) => ({ ...member, groupId: group.id, groupName: group.name })));
  const [studentId, setStudentId] = useState(String(members[0]?.studentId ?? ''));
  const current = members.find((member) => String(member.studentId) === studentId);
  const targets = groups.filter((group) => group.id !== current?.groupId);
  const [toSubgroupId, setToSubgroupId] = useState('');
  const chosenTarget = targets.some((group) => String(group.id) === toSubgroupId) ? toSubgroupId : String(targets[0]?.id ?? '');
  const [effectiveOn, setEffectiveOn] = useState(defaultDate);
  return (
    <Form
      aria-label="Перевести в другую подгруппу"
      className="card-inner"
      submitLabel="Перевести"
      onSubmit={async () => {
        await api.call('school.subgroups.move', { studentId: Number(studentId), toSubgroupId: Number(chosenTarget), effectiveOn });
        await onDone();
      }}
    >
      <h3>Перевести в другую подгруппу</h3>
      <p className="muted small">
        Только с первого дня учебного периода
        {periodStarts.length > 0 ? `: ${periodStarts.map(russianDate).join(', ')}.` : '; периоды для этой параллели не заданы.'}
      </p>
      <SelectField
        name="studentId"
        label="Ученик"
        value={studentId}
        onChange={setStudentId}
        options={members.map((member) => ({ value: String(member.studentId), label: `${member.fullName} (${member.groupName})` }))}
      />
      <div className="field-row">
        <SelectField name="toSubgroupId" label="В подгруппу" value={chosenTarget} onChange={setToSubgroupId} options={targets.map((g) => ({ value: String(g.id), label: g.name }))} />
        <TextField name="effectiveOn" label="С даты" type="date" value={effectiveOn} onChange={setEffectiveOn} />
      </div>
    </Form>
  );
}
