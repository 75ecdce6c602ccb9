import { useMemo } from 'react';
import { schoolContract, type AcademicYear } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { ErrorMessage, Loading, russianDate, useSchoolToday } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormCheckboxGroup, FormDate, FormSelect, FormText, useContractForm, useKeptChoice } from '../../ui/contract-form';

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

const addMembersFields = schoolContract['school.subgroups.addMembers'].input;

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
  const form = useContractForm(addMembersFields, { subgroupId: groups[0]?.id, studentIds: [], fromDate: defaultDate });
  const chosen = form.watch('studentIds');
  return (
    <ContractForm
      form={form}
      aria-label="Включить в подгруппу"
      className="card-inner"
      submitLabel="Включить в подгруппу"
      disabled={chosen.length === 0}
      onSubmit={async (values) => {
        await api.call('school.subgroups.addMembers', values);
        form.reset({ ...form.getValues(), studentIds: [] });
        await onDone();
      }}
    >
      <h3>Включить в подгруппу</h3>
      <div className="field-row">
        <FormSelect name="subgroupId" label="Подгруппа" numeric options={groups.map((g) => ({ value: String(g.id), label: g.name }))} />
        <FormDate name="fromDate" label="С даты" />
      </div>
      <FormCheckboxGroup name="studentIds" legend="Ученики" className="student-picks" options={candidates.map((student) => ({ value: student.id, label: student.fullName }))} />
    </ContractForm>
  );
}

const moveFields = schoolContract['school.subgroups.move'].input;

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
  const form = useContractForm(moveFields, { studentId: members[0]?.studentId, effectiveOn: defaultDate });
  const studentId = form.watch('studentId');
  const current = members.find((member) => member.studentId === studentId);
  const targets = groups.filter((group) => group.id !== current?.groupId);
  useKeptChoice(
    form,
    'toSubgroupId',
    targets.map((group) => group.id),
  );
  return (
    <ContractForm
      form={form}
      aria-label="Перевести в другую подгруппу"
      className="card-inner"
      submitLabel="Перевести"
      onSubmit={async (values) => {
        await api.call('school.subgroups.move', values);
        await onDone();
      }}
    >
      <h3>Перевести в другую подгруппу</h3>
      <p className="muted small">
        Только с первого дня учебного периода
        {periodStarts.length > 0 ? `: ${periodStarts.map(russianDate).join(', ')}.` : '; периоды для этой параллели не заданы.'}
      </p>
      <FormSelect name="studentId" label="Ученик" numeric options={members.map((member) => ({ value: String(member.studentId), label: `${member.fullName} (${member.groupName})` }))} />
      <div className="field-row">
        <FormSelect name="toSubgroupId" label="В подгруппу" numeric options={targets.map((g) => ({ value: String(g.id), label: g.name }))} />
        <FormDate name="effectiveOn" label="С даты" />
      </div>
    </ContractForm>
  );
}
