import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { z } from 'zod';
import type { AuditRecord } from '../../../src-shared/contract/accounts';
import { id, isoDate } from '../../../src-shared/contract/common';
import type { MethodInput, MethodOutput } from '../../../src-shared/contract/index';
import { api, asApiError } from '../../api/client';
import { useApiQuery } from '../../api/use-api';
import { useCan, useSession } from '../../app/session';
import { auditEntityTitles, auditNames } from '../../lib/audit-labels';
import { schoolLocalToUtc } from '../../lib/time';
import { ContractForm, FormDate, FormSelect, useContractForm } from '../../ui/contract-form';
import { AuditKeyMissing, AuditKeySlip } from './AuditKey';
import { AuditTable } from './AuditTable';

const limits = [50, 200, 1000].map((value) => ({ value: String(value), label: `${value}` }));

const optionalDate = z.union([z.literal(''), isoDate]);
// The filters as a person picks them; «audit.list» gets instants made from the dates.
const filterFields = z
  .object({
    entity: z.string(),
    classId: id.nullable(),
    subjectId: id.nullable(),
    userId: id.nullable(),
    since: optionalDate.nullable(),
    until: optionalDate.nullable(),
    limit: z.enum(['50', '200', '1000']),
  })
  .refine((filter) => !filter.since || !filter.until || filter.since <= filter.until, { message: 'Эта дата раньше, чем «С даты»', path: ['until'] });
type Filter = z.infer<typeof filterFields>;
const noFilter: Filter = { entity: '', classId: null, subjectId: null, userId: null, since: null, until: null, limit: '200' };
const noFields = z.object({});

/** «Журнал изменений»: filters, the records, and the integrity check of the hash chain. */
export function AuditPage() {
  const { school } = useSession();
  const can = useCan();
  const form = useContractForm(filterFields, noFilter);
  const verifyForm = useContractForm(noFields, {});
  const [classes, setClasses] = useState<{ value: string; label: string }[]>([]);
  const [subjects, setSubjects] = useState<{ value: string; label: string }[]>([]);
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<MethodOutput<'audit.verify'> | null>(null);

  const load = useCallback(async ({ entity, userId, classId, subjectId, since: sinceDate, until: untilDate, limit }: Filter) => {
    const filter: MethodInput<'audit.list'> = { limit: Number(limit) };
    if (entity) filter.entity = entity;
    if (userId) filter.userId = userId;
    if (classId) filter.classId = classId;
    if (subjectId) filter.subjectId = subjectId;
    if (sinceDate) filter.since = schoolLocalToUtc(sinceDate, school.timeZone) ?? undefined;
    // «По дату» includes that whole day, school time.
    const dayAfter = untilDate ? new Date(Date.parse(`${untilDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : null;
    if (dayAfter) filter.until = schoolLocalToUtc(dayAfter, school.timeZone) ?? undefined;
    setRecords(await api.call('audit.list', filter));
    setLoadError(null);
  }, [school.timeZone]);

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
    loadRef.current(noFilter).catch((failure: unknown) => {
      setLoadError(asApiError(failure).message);
      setRecords([]);
    });
  }, []);

  // Whose entries: the administrator picks from the accounts, the deputy and the director from
  // the staff list (former staff too — their entries stay in the history).
  const accounts = useApiQuery('accounts.list', can('accounts.manage') ? {} : null);
  const staff = useApiQuery('staff.list', !can('accounts.manage') && can('school.read') ? { onlyTeachers: false, includeInactive: true } : null);
  const people = useMemo(
    () => [...(accounts.data ?? staff.data ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru')).map((person) => ({ value: String(person.id), label: person.fullName })),
    [accounts.data, staff.data],
  );

  return (
    <div className="audit-page">
      <AuditKeyMissing />
      {can('pc.manage') && <AuditKeySlip />}
      <ContractForm form={form} aria-label="Отбор записей" className="filters" submitLabel="Показать" onSubmit={load}>
        <FormSelect
          name="entity"
          label="Раздел"
          options={[{ value: '', label: 'Все' }, ...Object.entries(auditEntityTitles).map(([value, label]) => ({ value, label }))]}
        />
        {classes.length > 0 && <FormSelect name="classId" label="Класс" numeric options={[{ value: '', label: 'Все' }, ...classes]} />}
        {subjects.length > 0 && <FormSelect name="subjectId" label="Предмет" numeric options={[{ value: '', label: 'Все' }, ...subjects]} />}
        {people.length > 0 && <FormSelect name="userId" label="Сотрудник" numeric options={[{ value: '', label: 'Все' }, ...people]} />}
        <FormDate name="since" label="С даты" nullable />
        <FormDate name="until" label="По дату" nullable />
        <FormSelect name="limit" label="Не больше" options={limits} />
      </ContractForm>

      <section className="integrity">
        <ContractForm
          form={verifyForm}
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
        </ContractForm>
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
