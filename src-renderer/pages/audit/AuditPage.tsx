import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditRecord } from '../../../src-shared/contract/accounts';
import type { MethodInput, MethodOutput } from '../../../src-shared/contract/index';
import { api, asApiError } from '../../api/client';
import { useCan, useSession } from '../../app/session';
import { auditEntityTitles, auditNames } from '../../lib/audit-labels';
import { schoolLocalToUtc } from '../../lib/time';
import { Form, SelectField, TextField } from '../../ui/form';
import { AuditKeyMissing, AuditKeySlip } from './AuditKey';
import { AuditTable } from './AuditTable';

const limits = [50, 200, 1000].map((value) => ({ value: String(value), label: `${value}` }));

/** «Журнал изменений»: filters, the records, and the integrity check of the hash chain. */
export function AuditPage() {
  const { school } = useSession();
  const can = useCan();
  const [entity, setEntity] = useState('');
  const [userId, setUserId] = useState('');
  const [classId, setClassId] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [classes, setClasses] = useState<{ value: string; label: string }[]>([]);
  const [subjects, setSubjects] = useState<{ value: string; label: string }[]>([]);
  const [sinceDate, setSinceDate] = useState('');
  const [untilDate, setUntilDate] = useState('');
  const [limit, setLimit] = useState('200');
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [people, setPeople] = useState<{ value: string; label: string }[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<MethodOutput<'audit.verify'> | null>(null);

  const load = useCallback(async () => {
    const filter: MethodInput<'audit.list'> = { limit: Number(limit) };
    if (entity) filter.entity = entity;
    if (userId) filter.userId = Number(userId);
    if (classId) filter.classId = Number(classId);
    if (subjectId) filter.subjectId = Number(subjectId);
    if (sinceDate) filter.since = schoolLocalToUtc(sinceDate, school.timeZone) ?? undefined;
    // «По дату» includes that whole day, school time.
    const dayAfter = untilDate ? new Date(Date.parse(`${untilDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : null;
    if (dayAfter) filter.until = schoolLocalToUtc(dayAfter, school.timeZone) ?? undefined;
    setRecords(await api.call('audit.list', filter));
    setLoadError(null);
  }, [entity, userId, classId, subjectId, sinceDate, untilDate, limit, school.timeZone]);

  // Classes of the current year and the school's subjects, to find a journal's changes.
  useEffect(() => {
    api.call('school.classes.list', {}).then(
      (found) => setClasses(found.map((item) => ({ value: String(item.id), label: item.name }))),
      () => setClasses([]),
    );
    api.call('school.subjects.list', {}).then(
      (found) => setSubjects(found.map((item) => ({ value: String(item.id), label: item.name }))),
      () => setSubjects([]),
    );
  }, []);

  // Work types by name, so a mark's record says «Контрольная работа», not a number.
  useEffect(() => {
    auditNames.timeZone = school.timeZone;
    api.call('settings.workTypes.list', { includeInactive: true }).then(
      (types) => {
        for (const type of types) auditNames.workTypes.set(type.id, type.name);
      },
      () => undefined,
    );
  }, [school.timeZone]);

  // First look: the latest changes, unfiltered; later loads follow the «Показать» button.
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    loadRef.current().catch((failure: unknown) => {
      setLoadError(asApiError(failure).message);
      setRecords([]);
    });
  }, []);

  // The list of people comes with account management; others filter by section and date.
  const canListPeople = can('accounts.manage');
  useEffect(() => {
    if (!canListPeople) return;
    api.call('accounts.list', {}).then(
      (accounts) =>
        setPeople(accounts.sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru')).map((account) => ({ value: String(account.id), label: account.fullName }))),
      () => setPeople([]),
    );
  }, [canListPeople]);

  return (
    <div className="audit-page">
      <AuditKeyMissing />
      {can('pc.manage') && <AuditKeySlip />}
      <Form aria-label="Отбор записей" className="filters" submitLabel="Показать" onSubmit={load}>
        <SelectField
          name="entity"
          label="Раздел"
          value={entity}
          onChange={setEntity}
          options={[{ value: '', label: 'Все' }, ...Object.entries(auditEntityTitles).map(([value, label]) => ({ value, label }))]}
        />
        {classes.length > 0 && <SelectField name="classId" label="Класс" value={classId} onChange={setClassId} options={[{ value: '', label: 'Все' }, ...classes]} />}
        {subjects.length > 0 && <SelectField name="subjectId" label="Предмет" value={subjectId} onChange={setSubjectId} options={[{ value: '', label: 'Все' }, ...subjects]} />}
        {people.length > 0 && <SelectField name="userId" label="Сотрудник" value={userId} onChange={setUserId} options={[{ value: '', label: 'Все' }, ...people]} />}
        <TextField name="since" label="С даты" type="date" value={sinceDate} onChange={setSinceDate} />
        <TextField name="until" label="По дату" type="date" value={untilDate} onChange={setUntilDate} />
        <SelectField name="limit" label="Не больше" value={limit} onChange={setLimit} options={limits} />
      </Form>

      <section className="integrity">
        <Form
          aria-label="Проверка целостности"
          submitLabel="Проверить целостность"
          busyLabel="Проверяю цепочку…"
          onSubmit={async () => setVerdict(await api.call('audit.verify', {}))}
        >
          {verdict &&
            (verdict.ok ? (
              <p className="message message-success" role="status">
                Журнал изменений цел: проверено записей — {verdict.checked}, ни одна не изменена и не удалена
                {verdict.anchorsCompared > 0 ? `; сверено с метками вне базы — ${verdict.anchorsCompared}` : ''}. Отметки, пропуски и уроки совпадают с историей.
                {!verdict.keyChecked && ' Подписи записей не проверены: на этом компьютере нет ключа журнала изменений школы.'}
              </p>
            ) : (
              <div className="message message-error" role="alert">
                {verdict.firstBroken && (
                  <p>
                    Целостность нарушена: {verdict.firstBroken.reason}. Проверено записей до неё: {verdict.checked}.
                  </p>
                )}
                {verdict.findings.length > 0 && (
                  <ul>
                    {verdict.findings.map((finding) => (
                      <li key={finding}>{finding}</li>
                    ))}
                  </ul>
                )}
                <p>Сообщите администратору и сохраните резервные копии.</p>
              </div>
            ))}
        </Form>
      </section>

      {loadError && (
        <p className="message message-error" role="alert">
          {loadError}
        </p>
      )}
      {records === null ? (
        <p className="muted">Загрузка…</p>
      ) : records.length === 0 ? (
        <p className="muted">Записей не найдено.</p>
      ) : (
        <>
          <p className="muted">Показано записей: {records.length} (сначала новые).</p>
          <AuditTable records={records} />
        </>
      )}
    </div>
  );
}
