import { useEffect, useState } from 'react';
import type { Account } from '../../../src-shared/contract/accounts';
import type { Role } from '../../../src-shared/roles';
import { api, asApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { generateTemporaryPassword } from '../../lib/password';
import { formatTime, schoolLocalNow, schoolLocalToUtc } from '../../lib/time';
import { CheckboxField, CheckboxGroup, Form, localValidation, TextAreaField, TextField } from '../../ui/form';
import { accountStates, isLockedNow } from './account-state';
import { CompromisedReview } from './CompromisedReview';
import { roleOptions } from './CreateAccountPanel';

interface Props {
  account: Account;
  onChanged(): Promise<void>;
  onClose(): void;
}

/** One account: its data and roles, temporary password, unlock, compromise (D-43, D-44). */
export function AccountPanel({ account, onChanged, onClose }: Props) {
  const { school } = useSession();
  return (
    <aside className="split-panel" aria-label={`Учётная запись ${account.fullName}`}>
      <div className="panel-header">
        <div>
          <h2>{account.fullName}</h2>
          <div className="muted">
            <span className="mono">{account.login}</span>
            {' · '}
            {accountStates(account, school.timeZone)
              .map((state) => state.label)
              .join(', ')}
          </div>
        </div>
        <button type="button" className="button button-quiet" onClick={onClose} aria-label="Закрыть">
          ✕
        </button>
      </div>
      <EditAccount account={account} onChanged={onChanged} />
      {isLockedNow(account) && <Unlock account={account} onChanged={onChanged} />}
      {account.compromisedAt ? (
        <CompromisedReview account={account} />
      ) : (
        <>
          <IssueTemporaryPassword account={account} onChanged={onChanged} />
          <ReportCompromised account={account} onChanged={onChanged} />
        </>
      )}
    </aside>
  );
}

type Draft = Pick<Account, 'fullName' | 'position' | 'roles' | 'active'>;
const draftOf = (account: Account): Draft => ({ fullName: account.fullName, position: account.position, roles: account.roles, active: account.active });

function EditAccount({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  // The version the person started editing from: a save on top of someone else's change is a conflict.
  const [base, setBase] = useState(account);
  const [draft, setDraft] = useState<Draft>(() => draftOf(account));
  const [saved, setSaved] = useState(false);
  const [conflictCurrent, setConflictCurrent] = useState<Account | null>(null);
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(base));

  // Untouched forms follow the list (e.g. after a temporary password raised the version).
  useEffect(() => {
    if (!dirty && account.version !== base.version) {
      setBase(account);
      setDraft(draftOf(account));
    }
  }, [account, base.version, dirty]);

  const change = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setSaved(false);
  };

  return (
    <section className="panel-section">
      <h3>Данные и роли</h3>
      <Form
        aria-label="Данные и роли"
        submitLabel="Сохранить"
        busyLabel="Сохраняю…"
        onSubmit={async () => {
          setConflictCurrent(null);
          try {
            const updated = await api.call('accounts.update', { id: account.id, version: base.version, ...draft });
            setBase(updated);
            setDraft(draftOf(updated));
            setSaved(true);
            await onChanged();
          } catch (error) {
            const failure = asApiError(error);
            const current = (failure.details as { current?: Account } | undefined)?.current;
            if (failure.kind === 'conflict' && current) setConflictCurrent(current);
            throw error;
          }
        }}
      >
        {conflictCurrent && (
          <div className="message message-warn">
            Сейчас в журнале: {conflictCurrent.fullName}; {conflictCurrent.position || 'должность не указана'};{' '}
            {conflictCurrent.active ? 'доступ разрешён' : 'доступ закрыт'}.{' '}
            <button
              type="button"
              className="button button-link"
              onClick={() => {
                setBase(conflictCurrent);
                setDraft(draftOf(conflictCurrent));
                setConflictCurrent(null);
                void onChanged();
              }}
            >
              Загрузить текущие данные
            </button>
          </div>
        )}
        {saved && !dirty && (
          <p className="message message-success" role="status">
            Сохранено.
          </p>
        )}
        <TextField name="fullName" label="ФИО" value={draft.fullName} onChange={(fullName) => change({ fullName })} />
        <TextField name="position" label="Должность" value={draft.position} onChange={(position) => change({ position })} />
        <CheckboxGroup<Role> name="roles" legend="Роли" options={roleOptions} selected={draft.roles} onChange={(roles) => change({ roles: [...roles].sort() })} />
        <CheckboxField name="active" label="Доступ к журналу разрешён" checked={draft.active} onChange={(active) => change({ active })} />
      </Form>
    </section>
  );
}

function Unlock({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { school } = useSession();
  return (
    <section className="panel-section">
      <h3>Блокировка входа</h3>
      <p>Вход заблокирован до {formatTime(account.lockedUntil!, school.timeZone)} после неудачных попыток.</p>
      <Form
        aria-label="Снять блокировку"
        submitLabel="Снять блокировку"
        onSubmit={async () => {
          await api.call('accounts.unlock', { id: account.id });
          await onChanged();
        }}
      >
        {null}
      </Form>
    </section>
  );
}

function IssueTemporaryPassword({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const [password, setPassword] = useState(generateTemporaryPassword);
  const [issued, setIssued] = useState<{ password: string; resolvedRequests: number } | null>(null);
  return (
    <details className="panel-section" open={issued !== null || undefined}>
      <summary>Выдать временный пароль</summary>
      {issued && (
        <p className="message message-success" role="status">
          Временный пароль выдан: <strong className="secret">{issued.password}</strong>.{' '}
          {issued.resolvedRequests > 0 ? `Закрыто заявок на пароль: ${issued.resolvedRequests}. ` : ''}
          Передайте его сотруднику лично; при входе журнал попросит сменить пароль.
        </p>
      )}
      <Form
        aria-label="Выдать временный пароль"
        submitLabel="Выдать временный пароль"
        onSubmit={async () => {
          const result = await api.call('accounts.issueTemporaryPassword', { id: account.id, temporaryPassword: password });
          setIssued({ password, resolvedRequests: result.resolvedRequests });
          setPassword(generateTemporaryPassword());
          await onChanged();
        }}
      >
        <TextField
          name="temporaryPassword"
          label="Временный пароль"
          value={password}
          onChange={setPassword}
          className="mono"
          spellCheck={false}
          hint={
            <button type="button" className="button button-link" onClick={() => setPassword(generateTemporaryPassword())}>
              Сгенерировать другой
            </button>
          }
        />
      </Form>
    </details>
  );
}

function ReportCompromised({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { school } = useSession();
  const [moment, setMoment] = useState(() => schoolLocalNow(school.timeZone));
  const [reason, setReason] = useState('');
  return (
    <details className="panel-section">
      <summary>Сообщить о компрометации</summary>
      <p className="muted">
        Учётная запись будет заблокирована; всё, что сделано ею после указанного момента, попадёт в список для проверки.
      </p>
      <Form
        aria-label="Сообщить о компрометации"
        submitLabel="Заблокировать как скомпрометированную"
        check={() => (schoolLocalToUtc(moment, school.timeZone) ? null : localValidation('Укажите дату и время.', 'reportedAt'))}
        onSubmit={async () => {
          await api.call('accounts.reportCompromised', { id: account.id, reportedAt: schoolLocalToUtc(moment, school.timeZone)!, reason });
          await onChanged();
        }}
      >
        <TextField
          name="reportedAt"
          label="С какого момента (время школы)"
          type="datetime-local"
          value={moment}
          onChange={setMoment}
          max={schoolLocalNow(school.timeZone)}
        />
        <TextAreaField name="reason" label="Основание" value={reason} onChange={setReason} rows={2} maxLength={1000} placeholder="Например: пароль стал известен посторонним" />
      </Form>
    </details>
  );
}
