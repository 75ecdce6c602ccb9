import { useSession } from '../../app/session';
import { Link } from '../../app/router';
import { ErrorMessage } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { reportLink } from './filters';

// Home-page blocks drawn from the report definitions: the teacher's own lessons of the
// period so far still without a topic or homework, each a link to those lessons; the class
// teacher's risk group from the class teacher's report.

export function MyMissingEntriesWidget() {
  const { user } = useSession();
  const report = useApiQuery('reports.run', { form: 'control', teacherId: user.id });
  if (report.error) return <ErrorMessage error={report.error} />;
  const rows = (report.data?.rows ?? []).filter((r) => !r.total && (Number(r.cells.noTopic) > 0 || Number(r.cells.noHomework) > 0));
  if (rows.length === 0) return null;
  const filter = report.data!.filter;
  return (
    <div className="control-summary" aria-label="Уроки без темы или задания">
      <h2>Мои уроки без темы или домашнего задания · {report.data!.subtitle}</h2>
      <ul className="widget-list">
        {rows.map((r) => (
          <li key={`${r.cells.class}:${r.cells.subject}`}>
            {r.cells.class} · {r.cells.subject}:{' '}
            {Number(r.cells.noTopic) > 0 && <a href={reportLink({ ...filter, ...r.drill, form: 'controlLessons', issue: 'noTopic' })}>без темы — {r.cells.noTopic}</a>}
            {Number(r.cells.noTopic) > 0 && Number(r.cells.noHomework) > 0 && ', '}
            {Number(r.cells.noHomework) > 0 && <a href={reportLink({ ...filter, ...r.drill, form: 'controlLessons', issue: 'noHomework' })}>без д/з — {r.cells.noHomework}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The administrator's: password requests waiting and accounts reported compromised. */
export function AccountsAttentionWidget() {
  const requests = useApiQuery('accounts.resetRequests', { includeResolved: false });
  const accounts = useApiQuery('accounts.list', {});
  const waiting = (requests.data ?? []).filter((r) => r.resolvedAt === null).length;
  const compromised = (accounts.data ?? []).filter((a) => a.compromisedAt !== null);
  if (waiting === 0 && compromised.length === 0) return null;
  return (
    <div className="message message-warn" aria-label="Учётные записи">
      {waiting > 0 && (
        <p>
          Заявок на восстановление пароля: {waiting}. <Link to="/admin/password-requests">Открыть заявки</Link>
        </p>
      )}
      {compromised.length > 0 && (
        <p>
          Скомпрометированные учётные записи: {compromised.map((a) => a.fullName).join(', ')}. <Link to="/admin/accounts">Открыть учётные записи</Link>
        </p>
      )}
    </div>
  );
}

/** One class's risk group: the students the class teacher's report (period so far) names, with why. */
function ClassRiskGroup({ classId, className }: { classId: number; className: string }) {
  const report = useApiQuery('reports.run', { form: 'classTeacher', classId });
  if (report.error) return <ErrorMessage error={report.error} />;
  if (!report.data) return <p className="muted small">Загружаю…</p>;
  const atRisk = report.data.rows.filter((r) => !r.total && typeof r.cells.risk === 'string' && r.cells.risk !== '');
  const link = reportLink(report.data.filter);
  if (atRisk.length === 0) return <p className="small">{className}: учеников группы риска нет.</p>;
  return (
    <>
      <p>
        <strong>{className}</strong>: группа риска — {atRisk.length}. <a href={link}>Отчёт классного руководителя</a>
      </p>
      <ul className="widget-list">
        {atRisk.map((r) => (
          <li key={String(r.cells.student)}>
            {r.cells.student}: {r.cells.risk}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The class teacher's: students at risk of failing (a «2» forecast, «н/а») or missing many lessons. */
export function RiskGroupWidget() {
  const { user } = useSession();
  if (user.classTeacherOf.length === 0) return null;
  return (
    <div aria-label="Группа риска">
      <h2>Группа риска: прогноз «2», «н/а», много пропусков</h2>
      {user.classTeacherOf.map((c) => (
        <ClassRiskGroup key={c.id} classId={c.id} className={c.name} />
      ))}
    </div>
  );
}
