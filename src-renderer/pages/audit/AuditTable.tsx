import type { AuditRecord } from '../../../src-shared/contract/accounts';
import { useSession } from '../../app/session';
import { auditActionTitles, auditEntityTitles, describeAuditChange } from '../../lib/audit-labels';
import { formatInstant } from '../../lib/time';

/**
 * Who, when, what, before → after, reason (docs/architecture.md principle 5). An account's
 * row number means nothing to a reader: the person is named in «Кто» or in the change itself.
 */
export function AuditTable({ records, compact }: { records: AuditRecord[]; compact?: boolean }) {
  const { school } = useSession();
  return (
    <table className={compact ? 'table table-compact audit-table' : 'table audit-table'}>
      <colgroup>
        <col className="audit-when" />
        {!compact && <col className="audit-who" />}
        <col className="audit-what" />
        <col />
        <col className="audit-why" />
      </colgroup>
      <thead>
        <tr>
          <th>Когда</th>
          {!compact && <th>Кто</th>}
          <th>Что</th>
          <th>Было → стало</th>
          <th>Причина</th>
        </tr>
      </thead>
      <tbody>
        {records.map((record) => (
          <tr key={record.id}>
            <td className="nowrap">{formatInstant(record.at, school.timeZone)}</td>
            {!compact && <td>{record.userName ?? <span className="muted">без входа</span>}</td>}
            <td>
              {auditActionTitles[record.action] ?? 'Изменение'}
              <div className="muted small">
                {record.place ? record.place : `${auditEntityTitles[record.entity] ?? 'Запись'}${record.entityId && /^\d+$/.test(record.entityId) && record.entity !== 'app_user' ? ` № ${record.entityId}` : ''}`}
              </div>
            </td>
            <td>
              {describeAuditChange(record.before, record.after).map((change) => (
                <div key={change.field} className="audit-change">
                  <span className="muted">{change.field}:</span> {change.before !== undefined && <span className="audit-before">{change.before}</span>}
                  {change.before !== undefined && change.after !== undefined && ' → '}
                  {change.after !== undefined && <span className="audit-after">{change.after}</span>}
                </div>
              ))}
            </td>
            <td>{record.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
