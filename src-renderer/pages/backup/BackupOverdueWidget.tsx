import { Link } from '../../app/router';
import { useApiQuery } from '../../api/use-api';
import { ageText } from './backup-format';

/**
 * The administrator's home page, right after login: a copy is overdue, the
 * flash drive was absent, or backups are not set up. Silent when all is well, and when the
 * status cannot be read (the backup page shows that error).
 */
export function BackupOverdueWidget() {
  const status = useApiQuery('backup.status', {});
  const data = status.data;
  if (!data?.overdue) return null;
  const late = data.destinations.filter((destination) => destination.overdue);
  return (
    <div className="message message-warn" role="alert" aria-label="Резервные копии">
      <strong>Резервная копия просрочена.</strong> {data.pendingReason}
      {late.length > 0 && (
        <ul className="widget-list">
          {late.map((destination) => (
            <li key={destination.key}>
              {destination.title}:{' '}
              {destination.lastSuccess ? `последняя удачная копия ${ageText(destination.lastSuccess.ageDays)}` : 'копий ещё не было'}
              {!destination.available && (destination.kind === 'drive' ? ' — флешка не подключена' : ' — папка недоступна')}
            </li>
          ))}
        </ul>
      )}{' '}
      <Link to="/admin/backup">Открыть «Резервные копии»</Link>
    </div>
  );
}
