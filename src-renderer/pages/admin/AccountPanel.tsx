import { useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { accountsContract, type Account } from '../../../src-shared/contract/accounts';
import type { Role } from '../../../src-shared/roles';
import { api, asApiError } from '../../api/client';
import { useSession } from '../../app/session';
import { generateTemporaryPassword } from '../../lib/password';
import { formatTime, schoolLocalNow, schoolLocalToUtc } from '../../lib/time';
import { ContractForm, FormCheckboxGroup, FormDate, FormText, FormTextArea, useContractForm } from '../../ui/contract-form';
import { SplitPanel } from '../../ui/common';
import { accountStates, isLockedNow } from './account-state';
import { CompromisedReview } from './CompromisedReview';
import { roleOptions, TemporaryPasswordField } from './CreateAccountPanel';
import { PasswordSlip } from './PasswordSlip';

interface Props {
  account: Account;
  onChanged(): Promise<void>;
  onClose(): void;
}

/** One account: its data and roles, temporary password, unlock, compromise (D-43, D-44). */
export function AccountPanel({ account, onChanged, onClose }: Props) {
  const { school, user } = useSession();
  return (
    <SplitPanel label={`Учётная запись ${account.fullName}`} heading={
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
      } onClose={onClose}>
      <EditAccount account={account} onChanged={onChanged} />
      {!account.compromisedAt && account.id !== user.id && <BlockOrUnblock account={account} onChanged={onChanged} />}
      {isLockedNow(account) && <Unlock account={account} onChanged={onChanged} />}
      {account.compromisedAt ? (
        <CompromisedReview account={account} />
      ) : (
        <>
          <IssueTemporaryPassword account={account} onChanged={onChanged} />
          <ReportCompromised account={account} onChanged={onChanged} />
        </>
      )}
    </SplitPanel>
  );
}

const editFields = accountsContract['accounts.update'].input.omit({ id: true, version: true });
const blockFields = accountsContract['accounts.block'].input.pick({ reason: true });
type Draft = Pick<Account, 'fullName' | 'position' | 'roles'>;
const draftOf = (account: Account): Draft => ({ fullName: account.fullName, position: account.position, roles: account.roles });

function EditAccount({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  // The version the person started editing from: a save on top of someone else's change is a conflict.
  const [base, setBase] = useState(account);
  const form = useContractForm(editFields, draftOf(account));
  const [saved, setSaved] = useState(false);
  const [conflictCurrent, setConflictCurrent] = useState<Account | null>(null);
  const dirty = form.formState.isDirty;

  // Untouched forms follow the list (e.g. after a temporary password raised the version).
  useEffect(() => {
    if (!dirty && account.version !== base.version) {
      setBase(account);
      form.reset(draftOf(account));
    }
  }, [account, base.version, dirty, form]);

  return (
    <section className="panel-section">
      <h3>Данные и роли</h3>
      <ContractForm
        form={form}
        aria-label="Данные и роли"
        submitLabel="Сохранить"
        busyLabel="Сохраняю…"
        onSubmit={async (values) => {
          setConflictCurrent(null);
          setSaved(false);
          try {
            const updated = await api.call('accounts.update', { id: account.id, version: base.version, ...values, roles: [...values.roles].sort() });
            setBase(updated);
            form.reset(draftOf(updated));
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
            Сейчас в журнале: {conflictCurrent.fullName}; {conflictCurrent.position || 'должность не указана'}.{' '}
            <button
              type="button"
              className="button button-link"
              onClick={() => {
                setBase(conflictCurrent);
                form.reset(draftOf(conflictCurrent));
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
        <FormText name="fullName" label="ФИО" />
        <FormText name="position" label="Должность" />
        <FormCheckboxGroup<Role> name="roles" legend="Роли" options={roleOptions} />
      </ContractForm>
    </section>
  );
}

/** Blocking is its own act with a reason, kept in the audit and shown beside the account. */
function BlockOrUnblock({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const form = useContractForm(blockFields, { reason: '' });
  const blocking = account.active;
  return (
    <section className="panel-section">
      <h3>{blocking ? 'Заблокировать вход' : 'Учётная запись заблокирована'}</h3>
      {!blocking && account.blockedReason && <p>Причина: {account.blockedReason}</p>}
      {blocking && <p className="muted">Сотрудник не сможет войти ни на одном компьютере; начатые сеансы закончатся сразу. Всё, что он записал, остаётся.</p>}
      <ContractForm
        form={form}
        aria-label={blocking ? 'Заблокировать' : 'Разблокировать'}
        submitLabel={blocking ? 'Заблокировать' : 'Разблокировать'}
        busyLabel="Сохраняю…"
        onSubmit={async ({ reason }) => {
          await api.call(blocking ? 'accounts.block' : 'accounts.unblock', { id: account.id, version: account.version, reason });
          form.reset({ reason: '' });
          await onChanged();
        }}
      >
        <FormText name="reason" label={blocking ? 'Причина блокировки' : 'Причина разблокировки'} placeholder={blocking ? 'Например: уволилась 01.12' : 'Например: вернулся из отпуска'} maxLength={500} />
      </ContractForm>
    </section>
  );
}

const noFields = z.object({});

function Unlock({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { school } = useSession();
  const form = useContractForm(noFields, {});
  return (
    <section className="panel-section">
      <h3>Блокировка входа</h3>
      <p>Вход заблокирован до {formatTime(account.lockedUntil!, school.timeZone)} после неудачных попыток.</p>
      <ContractForm
        form={form}
        aria-label="Снять блокировку"
        submitLabel="Снять блокировку"
        onSubmit={async () => {
          await api.call('accounts.unlock', { id: account.id });
          await onChanged();
        }}
      >
        {null}
      </ContractForm>
    </section>
  );
}

const temporaryPasswordFields = accountsContract['accounts.issueTemporaryPassword'].input.pick({ temporaryPassword: true });

function IssueTemporaryPassword({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const form = useContractForm(temporaryPasswordFields, { temporaryPassword: generateTemporaryPassword() });
  const [issued, setIssued] = useState<{ password: string; resolvedRequests: number } | null>(null);
  return (
    <details className="panel-section" open={issued !== null || undefined}>
      <summary>Выдать временный пароль</summary>
      {issued && (
        <>
          <p className="message message-success" role="status">
            Временный пароль выдан. {issued.resolvedRequests > 0 ? `Закрыто заявок на пароль: ${issued.resolvedRequests}. ` : ''}
            Передайте его сотруднику лично; при входе журнал попросит сменить пароль.
          </p>
          <PasswordSlip fullName={account.fullName} login={account.login} password={issued.password} />
        </>
      )}
      <ContractForm
        form={form}
        aria-label="Выдать временный пароль"
        submitLabel="Выдать временный пароль"
        onSubmit={async ({ temporaryPassword }) => {
          const result = await api.call('accounts.issueTemporaryPassword', { id: account.id, temporaryPassword });
          setIssued({ password: temporaryPassword, resolvedRequests: result.resolvedRequests });
          form.reset({ temporaryPassword: generateTemporaryPassword() });
          await onChanged();
        }}
      >
        <TemporaryPasswordField regenerate={() => form.setValue('temporaryPassword', generateTemporaryPassword(), { shouldValidate: true })} />
      </ContractForm>
    </details>
  );
}

/** The moment typed as a date (дд.мм.гггг) and a time on the school's clock; the core gets the instant. */
function compromiseFields(timeZone: string) {
  return accountsContract['accounts.reportCompromised'].input
    .pick({ reason: true })
    .extend({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Укажите дату как дд.мм.гггг'),
      time: z
        .string()
        .trim()
        .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, 'Укажите время как ЧЧ:ММ, например 10:30'),
    })
    .transform(({ date, time, reason }, context) => {
      const [hours, minutes] = time.split(/[:.]/);
      const reportedAt = schoolLocalToUtc(`${date}T${hours!.padStart(2, '0')}:${minutes}`, timeZone);
      if (!reportedAt) {
        context.addIssue({ code: 'custom', message: 'Такого момента нет на часах школы', path: ['time'] });
        return z.NEVER;
      }
      if (reportedAt > new Date().toISOString()) {
        context.addIssue({ code: 'custom', message: 'Этот момент ещё не наступил', path: ['time'] });
        return z.NEVER;
      }
      return { reportedAt, reason };
    });
}

function ReportCompromised({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const { school } = useSession();
  const fields = useMemo(() => compromiseFields(school.timeZone), [school.timeZone]);
  const form = useContractForm(fields, (() => {
    const now = schoolLocalNow(school.timeZone);
    return { date: now.slice(0, 10), time: now.slice(11, 16), reason: '' };
  })());
  return (
    <details className="panel-section">
      <summary>Сообщить о компрометации</summary>
      <p className="muted">
        Учётная запись будет заблокирована; всё, что сделано ею после указанного момента, попадёт в список для проверки.
      </p>
      <ContractForm
        form={form}
        aria-label="Сообщить о компрометации"
        submitLabel="Заблокировать как скомпрометированную"
        onSubmit={async ({ reportedAt, reason }) => {
          await api.call('accounts.reportCompromised', { id: account.id, reportedAt, reason });
          await onChanged();
        }}
      >
        <div className="field-row">
          <FormDate name="date" label="С какого дня" />
          <FormText name="time" label="С какого времени (время школы)" inputMode="numeric" placeholder="ЧЧ:ММ" maxLength={5} autoComplete="off" />
        </div>
        <FormTextArea name="reason" label="Основание" rows={2} maxLength={1000} placeholder="Например: пароль стал известен посторонним" />
      </ContractForm>
    </details>
  );
}
