import { useState } from 'react';
import type { BackupStatus } from '../../../src-shared/contract/backup';
import type { JobStatus } from '../../../src-shared/contract/jobs';
import { api } from '../../api/client';
import { useSession } from '../../app/session';
import { formatInstant } from '../../lib/time';
import { ErrorMessage, Loading } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { JobProgress, useJob } from '../../ui/job-progress';
import { formatBytes } from '../printing/pdf-file';
import { ageText, ageTone, describeSchedule, joinPath } from './backup-format';
import { BackupSettingsCard, PasswordCard, SigningKeyCard } from './BackupSettings';
import { ExportYearCard } from './ExportYearCard';
import { RestoreCard, type InspectRequest } from './RestoreCard';
import './backup.css';

// «Резервные копии» (D-37 … D-41, D-45): where the copies go and when, the last
// successful copy per place and how old it is, «Сделать копию сейчас», the backup password,
// the school's signing key, checking and restoring a copy, and the year-end archive.

export function BackupPage() {
  const status = useApiQuery('backup.status', {});
  const [inspect, setInspect] = useState<InspectRequest | null>(null);
  const check = (file: string) => setInspect((previous) => ({ file, nonce: (previous?.nonce ?? 0) + 1 }));

  return (
    <div className="backup-page">
      <ErrorMessage error={status.error} />
      {!status.data && !status.error && <Loading />}
      {status.data && (
        <>
          {/* New settings start the card afresh: a refusal of an earlier «copy now» is not left over. */}
          <StatusCard key={JSON.stringify(status.data.settings)} status={status.data} reload={status.reload} onCheck={check} />
          <div className="columns">
            <BackupSettingsCard settings={status.data.settings} onSaved={status.reload} />
            <PasswordCard passwordSet={status.data.passwordSet} onSaved={status.reload} />
          </div>
          <RestoreCard request={inspect} />
          <div className="columns">
            <SigningKeyCard key={status.data.signingKeyFingerprint ?? 'none'} fingerprint={status.data.signingKeyFingerprint} />
            <ExportYearCard />
          </div>
        </>
      )}
    </div>
  );
}

function StatusCard({ status, reload, onCheck }: { status: BackupStatus; reload(): Promise<void>; onCheck(file: string): void }) {
  const { school } = useSession();
  const action = useAction();
  // «Сделать копию сейчас» runs as a job in the core: steps, «Остановить», then each place's outcome.
  const tracker = useJob('backup', () => void reload());
  const busy = action.busy || tracker.active || status.running;

  return (
    <section className="card" aria-label="Состояние резервного копирования">
      <div className="backup-status-head">
        <div>
          <h2>Копии по местам хранения</h2>
          <p className="muted small">
            По расписанию: {describeSchedule(status.settings.schedule)}
            {status.nextScheduledAt && <>; следующая — {formatInstant(status.nextScheduledAt, school.timeZone)}</>}. Хранится последних копий в каждом
            месте: {status.settings.retention}.
          </p>
        </div>
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() =>
            void action.run(async () => {
              tracker.track(await api.call('backup.start', {}));
            })
          }
        >
          {busy ? 'Делаю копию…' : 'Сделать копию сейчас'}
        </button>
      </div>
      {status.overdue && status.pendingReason && (
        <p className="message message-warn" role="alert">
          {status.pendingReason}
        </p>
      )}
      <ErrorMessage error={action.error} />
      <JobProgress tracker={tracker} currentUnit="шага" label="Ход копирования" />
      {tracker.job && !tracker.active && <RunOutcome run={tracker.job} />}
      {status.destinations.length > 0 && (
        <table className="table" aria-label="Места хранения копий">
          <thead>
            <tr>
              <th>Место</th>
              <th>Сейчас</th>
              <th>Последняя удачная копия</th>
              <th>Последняя попытка</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {status.destinations.map((destination) => {
              const success = destination.lastSuccess;
              const attempt = destination.lastAttempt;
              const file = success?.fileName && destination.location ? joinPath(destination.location, success.fileName) : null;
              return (
                <tr key={destination.key}>
                  <td>
                    {destination.title}
                    {/* A drive's folder is worth showing; a folder's path is already in its title. */}
                    {destination.location && !destination.title.includes(destination.location) && <div className="muted small mono">{destination.location}</div>}
                  </td>
                  <td>
                    {destination.available ? (
                      <span className="badge badge-ok">{destination.kind === 'drive' ? 'подключена' : 'доступна'}</span>
                    ) : (
                      <span className="badge badge-warn">{destination.kind === 'drive' ? 'не подключена' : 'недоступна'}</span>
                    )}
                  </td>
                  <td>
                    {success ? (
                      <>
                        {formatInstant(success.at, school.timeZone)}{' '}
                        <span className={`badge badge-${ageTone(success.ageDays, destination.overdue)}`}>{ageText(success.ageDays)}</span>
                        <div className="muted small">
                          {success.fileName} · {formatBytes(success.sizeBytes)}
                        </div>
                      </>
                    ) : (
                      <span className="badge badge-bad">копий ещё не было</span>
                    )}
                  </td>
                  <td className="small">
                    {attempt ? (
                      <>
                        {formatInstant(attempt.at, school.timeZone)} — {attemptStatus(attempt.status)}
                        {attempt.error && <div className="field-error">{attempt.error}</div>}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {file && (
                      <button type="button" className="button" onClick={() => onCheck(file)}>
                        Проверить копию
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function attemptStatus(status: string): string {
  if (status === 'ok') return 'удачно';
  if (status === 'failed') return 'не удалась';
  if (status === 'skipped') return 'пропущена';
  return status;
}

function RunOutcome({ run }: { run: JobStatus }) {
  // The first step is the snapshot; the others are the places the copy went to.
  const places = run.items.slice(1);
  if (places.length === 0) return null;
  const failed = places.some((place) => place.status !== 'ok');
  return (
    <div className={failed ? 'message message-warn' : 'message message-success'} role="status">
      <ul className="run-results">
        {places.map((place) => (
          <li key={place.label}>
            <strong>{place.label}</strong>:{' '}
            {place.status === 'ok'
              ? `копия записана и проверена${place.summary ? ` (${place.summary})` : ''}`
              : place.status === 'skipped'
                ? `пропущено${place.message ? ` — ${place.message}` : ''}`
                : `не удалось — ${place.message ?? 'причина неизвестна'}`}
          </li>
        ))}
      </ul>
    </div>
  );
}
