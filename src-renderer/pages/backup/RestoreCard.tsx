import { useEffect, useMemo, useRef, useState } from 'react';
import { z } from 'zod';
import { backupContract, type BackupSummary } from '../../../src-shared/contract/backup';
import { api, asApiError, type ApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { formatInstant } from '../../lib/time';
import { ErrorMessage } from '../../ui/common';
import { blankAsAbsent, ContractForm, FormCheckbox, FormSelect, FormText, useContractForm } from '../../ui/contract-form';
import { JobProgress, useJob } from '../../ui/job-progress';

// Restore (D-40): first check the file — signature and checksums; with the
// password every part is decrypted and checked too — and show what it holds; only a file
// checked with its password can then be restored, into a new empty database.
// Paths are typed: the Electron shell is to add its file and folder pickers beside them.

const inspectInput = backupContract['backup.inspect'].input;
/** Without the password only the signature and the manifest are checked. */
const inspectFields = inspectInput.extend({ password: blankAsAbsent(inspectInput.shape.password.unwrap()) });

/** «Проверить копию» pressed beside a destination: check this file at once. */
export interface InspectRequest {
  file: string;
  nonce: number;
}

export function RestoreCard({ request }: { request: InspectRequest | null }) {
  const form = useContractForm(inspectFields, { file: '', password: '' });
  const [summary, setSummary] = useState<{ file: string; password: string | null; value: BackupSummary } | null>(null);
  const [quickError, setQuickError] = useState<ApiError | null>(null);
  const card = useRef<HTMLElement>(null);

  async function inspect(file: string, password: string | undefined) {
    setSummary(null);
    const value = await api.call('backup.inspect', { file, ...(password ? { password } : {}) });
    setSummary({ file, password: password ?? null, value });
  }

  // A check asked from the destinations table: without the password (the signature and the
  // manifest), then the person may type the password to check the contents too.
  useEffect(() => {
    if (!request) return;
    form.setValue('file', request.file);
    form.clearErrors('file');
    setQuickError(null);
    card.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    inspect(request.file, undefined).catch((error: unknown) => setQuickError(asApiError(error)));
    // The form object is stable; only a new request checks again.
  }, [request]);

  return (
    <section className="card" aria-label="Проверка и восстановление" ref={card}>
      <h2>Проверить и восстановить копию</h2>
      <ContractForm
        form={form}
        aria-label="Проверить копию"
        submitLabel="Проверить копию"
        busyLabel="Проверяю…"
        onSubmit={async (values) => {
          setQuickError(null);
          await inspect(values.file, values.password);
        }}
      >
        <div className="field-row restore-fields">
          <FormText name="file" label="Файл резервной копии" className="mono" placeholder="E:\zhurnal-backup\….zhb" hint="Полный путь к файлу на этом компьютере." />
          <FormText
            name="password"
            label="Пароль резервных копий"
            type="password"
            autoComplete="off"
            hint="Без пароля проверяются подпись и оглавление; с паролем — и всё содержимое."
          />
        </div>
      </ContractForm>
      <ErrorMessage error={quickError} />
      {summary && <SummaryView summary={summary.value} />}
      {summary?.value.contentVerified && summary.password && (
        <RestoreForm file={summary.file} password={summary.password} otherSchool={summary.value.signedByThisSchool === false ? summary.value.schoolName : null} />
      )}
    </section>
  );
}

function SummaryView({ summary }: { summary: BackupSummary }) {
  const { school } = useSession();
  return (
    <div className="backup-summary" role="region" aria-label="Содержимое копии">
      <p className={summary.signedByThisSchool === false ? 'message message-warn' : 'message message-success'} role="status">
        {summary.signedByThisSchool === false
          ? `Подпись верна, но копия подписана ключом другой школы — «${summary.schoolName}», а не ключом этой школы. Сверьте отпечаток ключа с распечатанным.`
          : 'Подпись и контрольные суммы верны: файл не повреждён и не изменён.'}{' '}
        {summary.contentVerified
          ? 'Содержимое расшифровано и сверено.'
          : 'Содержимое не расшифровывалось: введите пароль и нажмите «Проверить копию», чтобы проверить и его.'}
      </p>
      <dl className="facts">
        <dt>Школа</dt>
        <dd>{summary.schoolName}</dd>
        <dt>Копия сделана</dt>
        <dd>{formatInstant(summary.createdAt, school.timeZone)}</dd>
        <dt>Версия программы</dt>
        <dd>
          {summary.appVersion}, база {summary.sourceEngine === 'postgres' ? 'PostgreSQL' : summary.sourceEngine === 'sqlite' ? 'SQLite' : summary.sourceEngine}
        </dd>
        <dt>Строк в базе</dt>
        <dd>{summary.totalRows.toLocaleString('ru-RU')}</dd>
        <dt>Отпечаток ключа</dt>
        <dd className="mono small">{summary.fingerprint}</dd>
      </dl>
      <div className="backup-parts">
        <table className="table table-compact" aria-label="Части копии">
          <thead>
            <tr>
              <th>Часть</th>
              <th className="cell-number">Строк</th>
              <th>В том числе</th>
            </tr>
          </thead>
          <tbody>
            {summary.parts.map((part) => (
              <tr key={part.name}>
                <td className="nowrap">{part.title}</td>
                <td className="cell-number">{part.rows.toLocaleString('ru-RU')}</td>
                <td className="small">{countsText(part.counts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The counts a person asks about, by the names the core uses for tables and class sections. */
const countLabels: [keys: string[], label: string][] = [
  [['school_class', 'class'], 'классов'],
  [['student', 'students'], 'учеников'],
  [['app_user'], 'сотрудников'],
  [['lesson', 'lessons'], 'уроков'],
  [['mark', 'marks'], 'отметок'],
  [['attendance'], 'пропусков'],
  [['final_mark', 'finalMarks'], 'итоговых отметок'],
];

function countsText(counts: Record<string, number>): string {
  const parts: string[] = [];
  for (const [keys, label] of countLabels) {
    const key = keys.find((candidate) => candidate in counts);
    if (key !== undefined && counts[key]! > 0 && key !== 'class') parts.push(`${label}: ${counts[key]!.toLocaleString('ru-RU')}`);
  }
  return parts.join(', ') || '—';
}

const restoreInput = backupContract['backup.restore'].input;

/** Where to restore, as the contract has it; a copy of another school only once that is ticked. */
function restoreFields(otherSchool: string | null) {
  return restoreInput
    .pick({ target: true })
    .extend({ confirmed: z.boolean() })
    .refine((values) => otherSchool === null || values.confirmed, { message: 'Подтвердите, что восстанавливаете копию другой школы', path: ['confirmed'] });
}

/** Both places start empty, so switching the kind keeps what was typed for the other. */
const blankTarget = { kind: 'sqlite' as const, path: '', url: '' };

/** `otherSchool`: the backup is signed by another school's key (D-39) — restored only once that is confirmed. */
function RestoreForm({ file, password, otherSchool }: { file: string; password: string; otherSchool: string | null }) {
  const fields = useMemo(() => restoreFields(otherSchool), [otherSchool]);
  const form = useContractForm(fields, { target: blankTarget, confirmed: false });
  const kind = form.watch('target.kind');
  // The restore runs as a job in the core: its steps, «Остановить» until the data is loaded.
  const tracker = useJob('backup.restore');
  return (
    <div className="form-section">
      <h3>Восстановить в новую базу данных</h3>
      <p className="small muted">
        Текущая база не меняется: копия восстанавливается целиком в новую пустую базу (всё или ничего). Перед восстановлением файл проверяется ещё раз.
      </p>
      <ContractForm
        form={form}
        aria-label="Восстановить копию"
        submitLabel="Восстановить"
        busyLabel="Восстанавливаю…"
        disabled={tracker.active}
        onSubmit={async (values) => {
          const started = await api.call('backup.restore', {
            file,
            password,
            target: values.target,
            ...(otherSchool && values.confirmed ? { confirmOtherSchool: otherSchool } : {}),
          });
          tracker.track(started);
        }}
      >
        <div className="field-row restore-fields">
          <FormSelect
            name="target.kind"
            label="Куда"
            options={[
              { value: 'sqlite', label: 'Новый файл базы SQLite' },
              { value: 'postgres', label: 'Пустая база PostgreSQL' },
            ]}
          />
          {kind === 'postgres' ? (
            <FormText key="url" name="target.url" label="Адрес базы" className="mono" placeholder="postgres://пользователь@сервер/база" />
          ) : (
            <FormText key="path" name="target.path" label="Путь к новому файлу" className="mono" placeholder="D:\Журнал\восстановленная.sqlite" />
          )}
        </div>
        {otherSchool !== null && (
          <>
            <p className="message message-warn" role="alert">
              Эта копия подписана ключом другой школы — «{otherSchool}». Восстанавливайте её, только если вам нужны данные именно этой школы.
            </p>
            <FormCheckbox name="confirmed" label={`Это копия другой школы — «${otherSchool}», восстановить её`} />
          </>
        )}
      </ContractForm>
      <JobProgress tracker={tracker} currentUnit="шага" label="Ход восстановления" />
    </div>
  );
}
