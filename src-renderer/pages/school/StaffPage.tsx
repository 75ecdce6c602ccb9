import { useMemo, useState } from 'react';
import { roleTitles } from '../../../src-shared/roles';
import { useCan } from '../../app/session';
import { ErrorMessage, Loading, plural, Toolbar } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { StaffConsentCell } from './StaffConsent';

// «Сотрудники»: who works at the school, with positions and roles. Accounts are created and
// changed on the «Учётные записи» page; this list is what the other school screens choose from.

export function StaffPage() {
  const can = useCan();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [search, setSearch] = useState('');
  const staff = useApiQuery('staff.list', { includeInactive });
  const load = useApiQuery('load.list', {});

  const loadByTeacher = useMemo(() => {
    const map = new Map<number, { hours: number; items: string[] }>();
    for (const row of load.data ?? []) {
      const entry = map.get(row.teacherId) ?? { hours: 0, items: [] };
      entry.hours += row.hoursPerWeek;
      entry.items.push(`${row.subjectName}, ${row.className}${row.subgroupName ? ` (${row.subgroupName})` : ''}`);
      map.set(row.teacherId, entry);
    }
    return map;
  }, [load.data]);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const list = [...(staff.data ?? [])].sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru'));
    return needle ? list.filter((person) => person.fullName.toLowerCase().includes(needle) || person.position.toLowerCase().includes(needle)) : list;
  }, [staff.data, search]);

  // Consents are shown only to those who keep staff records (the core sends null to others).
  const seesConsents = (staff.data ?? []).some((person) => person.consentMissing !== null);
  const missingConsents = (staff.data ?? []).filter((person) => person.active && person.consentMissing).length;

  return (
    <div className="school-page">
      <Toolbar>
        <input type="search" className="toolbar-search" placeholder="Поиск по ФИО или должности" aria-label="Поиск по ФИО или должности" value={search} onChange={(event) => setSearch(event.target.value)} />
        <label className="checkbox">
          <input type="checkbox" checked={includeInactive} onChange={(event) => setIncludeInactive(event.target.checked)} /> с отключёнными
        </label>
        {can('accounts.manage') && (
          <a className="button toolbar-end" href="#/admin/accounts">
            Новый сотрудник — в «Учётных записях»
          </a>
        )}
      </Toolbar>
      <ErrorMessage error={staff.error} />
      {seesConsents && missingConsents > 0 && (
        <p className="message message-warn" role="note">
          Нет согласия на обработку персональных данных: {missingConsents} {plural(missingConsents, 'сотрудник', 'сотрудника', 'сотрудников')}.
        </p>
      )}
      {staff.data === null ? (
        <Loading />
      ) : (
        <table className="table table-compact" aria-label="Сотрудники">
          <thead>
            <tr>
              <th>ФИО</th>
              <th>Должность</th>
              <th>Роли</th>
              <th>Нагрузка</th>
              {seesConsents && <th>Согласие на обработку ПДн</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((person) => {
              const teaching = loadByTeacher.get(person.id);
              return (
                <tr key={person.id} className={person.active ? undefined : 'row-departed'}>
                  <td>
                    {person.fullName}
                    {!person.active && <span className="badge badge-warn">отключён</span>}
                  </td>
                  <td>{person.position || <span className="muted">—</span>}</td>
                  <td>{person.roles.map((role) => roleTitles[role]).join(', ')}</td>
                  <td className="small nowrap">
                    {teaching ? (
                      <span title={teaching.items.join('\n')}>
                        {String(teaching.hours).replace('.', ',')} ч/нед.: {teaching.items.length} {plural(teaching.items.length, 'назначение', 'назначения', 'назначений')}
                      </span>
                    ) : (
                      person.roles.includes('teacher') && <span className="muted">нет</span>
                    )}
                  </td>
                  {seesConsents && (
                    <td className="small">
                      <StaffConsentCell userId={person.id} fullName={person.fullName} missing={person.consentMissing === true} onChanged={staff.reload} />
                    </td>
                  )}
                </tr>
              );
            })}
            {shown.length === 0 && (
              <tr>
                <td colSpan={seesConsents ? 5 : 4} className="muted">
                  Никого не найдено.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
