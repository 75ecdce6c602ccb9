import { useMemo, useState } from 'react';
import { z } from 'zod';
import { backupContract, backupSettings, type BackupSettings } from '../../../src-shared/contract/backup';
import { text } from '../../../src-shared/contract/common';
import { api } from '../../api/client';
import { ErrorMessage } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormCheckbox, FormSelect, FormText, useContractForm } from '../../ui/contract-form';
import { saveBlob } from '../../lib/files';
import { describeSchedule, parseSchedule, scheduleDays, scheduleExpression } from './backup-format';

// The schedule is chosen as a weekday and a time; the core keeps it as its cron expression.
const settingsFields = z.object({
  day: z.enum(scheduleDays.map((day) => day.value) as [string, ...string[]]),
  time: z
    .string()
    .trim()
    .regex(/^\d{1,2}:\d{2}$/, 'Время — часы и минуты через двоеточие, например 17:00')
    .refine((time) => scheduleExpression({ day: '*', time }) !== null, 'Такого времени нет: часы от 0 до 23, минуты от 00 до 59'),
  driveLabel: text(64),
  secondFolder: text(4096),
  retention: z
    .string()
    .trim()
    .regex(/^\d+$/, 'Сколько копий — целым числом, например 10')
    .transform(Number)
    .pipe(backupSettings.shape.retention.unwrap()),
});

/** Schedule, flash drive label, second folder, how many copies to keep. */
export function BackupSettingsCard({ settings, onSaved }: { settings: BackupSettings; onSaved(): Promise<void> }) {
  const simple = parseSchedule(settings.schedule);
  const form = useContractForm(settingsFields, {
    day: simple?.day ?? '5',
    time: simple?.time ?? '17:00',
    driveLabel: settings.driveLabel ?? '',
    secondFolder: settings.secondFolder ?? '',
    retention: String(settings.retention),
  });
  const [saved, setSaved] = useState(false);

  return (
    <section className="card" aria-label="Настройки резервного копирования">
      <h2>Куда и когда копировать</h2>
      {!simple && (
        <p className="message message-info small">Сейчас задано особое расписание ({describeSchedule(settings.schedule)}). Выберите день и время — оно заменится при сохранении.</p>
      )}
      <ContractForm
        form={form}
        aria-label="Настройки резервного копирования"
        submitLabel="Сохранить настройки"
        busyLabel="Сохраняю…"
        onSubmit={async (values) => {
          setSaved(false);
          await api.call('backup.updateSettings', {
            schedule: scheduleExpression({ day: values.day, time: values.time })!,
            driveLabel: values.driveLabel || null,
            secondFolder: values.secondFolder || null,
            retention: values.retention,
          });
          await onSaved();
          setSaved(true);
        }}
      >
        <div className="field-row">
          <FormSelect name="day" label="Когда" options={scheduleDays} />
          {/* Text, not type="time": that shows «05:00 PM» where the PC's language is English. */}
          <FormText name="time" label="Время" placeholder="17:00" maxLength={5} inputMode="numeric" />
        </div>
        <FormText
          name="driveLabel"
          label="Метка флешки"
          hint="Имя тома, которое видно в «Этот компьютер», например ZHURNAL. Копия пишется на флешку с этой меткой; если её нет — как только её вставят."
        />
        <FormText
          name="secondFolder"
          label="Вторая папка"
          className="mono"
          placeholder="D:\Копии журнала или \\сервер\папка"
          hint="Другой диск или компьютер в другом помещении (две копии в разных местах). Папка должна существовать."
        />
        <FormText name="retention" label="Сколько копий хранить в каждом месте" inputMode="numeric" size={4} />
      </ContractForm>
      {saved && (
        <p className="message message-success" role="status">
          Настройки сохранены.
        </p>
      )}
    </section>
  );
}

const passwordInput = backupContract['backup.setPassword'].input;

/** The contract's fields, with the current password asked while one is set and not declared lost. */
function passwordFields(passwordSet: boolean) {
  return z
    .object({
      currentPassword: z.string().max(200, 'Пароль слишком длинный: не больше 200 символов'),
      newPassword: passwordInput.shape.newPassword,
      newPasswordAgain: z.string(),
      forgotten: z.boolean(),
    })
    .refine((values) => !passwordSet || values.forgotten || values.currentPassword !== '', { message: 'Введите действующий пароль', path: ['currentPassword'] })
    .refine((values) => values.newPassword === values.newPasswordAgain, { message: 'Пароли не совпадают', path: ['newPasswordAgain'] });
}

const blankPassword = { currentPassword: '', newPassword: '', newPasswordAgain: '', forgotten: false };

/** The backup password: copies are encrypted with it; it is never stored (D-45). */
export function PasswordCard({ passwordSet, onSaved }: { passwordSet: boolean; onSaved(): Promise<void> }) {
  const fields = useMemo(() => passwordFields(passwordSet), [passwordSet]);
  const form = useContractForm(fields, blankPassword);
  const forgotten = form.watch('forgotten');
  const [done, setDone] = useState<string | null>(null);

  return (
    <section className="card" aria-label="Пароль резервных копий">
      <h2>Пароль резервных копий</h2>
      <p className={passwordSet ? 'small' : 'message message-warn'}>
        {passwordSet
          ? 'Пароль задан. Копии зашифрованы: без пароля потерянная флешка ничего не раскроет. Сам пароль нигде не хранится — запишите его и храните в сейфе.'
          : 'Пароль не задан: резервные копии не делаются. Задайте пароль — им шифруются копии с персональными данными учеников.'}
      </p>
      <ContractForm
        form={form}
        aria-label="Пароль резервных копий"
        submitLabel={passwordSet ? 'Сменить пароль' : 'Задать пароль'}
        busyLabel="Сохраняю…"
        onSubmit={async (values) => {
          setDone(null);
          const lost = passwordSet && values.forgotten;
          const answer = await api.call('backup.setPassword', {
            ...(passwordSet && !lost ? { currentPassword: values.currentPassword } : {}),
            newPassword: values.newPassword,
            forgotten: lost,
          });
          form.reset(blankPassword);
          await onSaved();
          setDone(answer.fingerprint);
        }}
      >
        {passwordSet && !forgotten && <FormText name="currentPassword" label="Действующий пароль" type="password" autoComplete="off" />}
        <div className="field-row">
          <FormText name="newPassword" label="Новый пароль" type="password" autoComplete="new-password" />
          <FormText name="newPasswordAgain" label="Новый пароль ещё раз" type="password" autoComplete="new-password" />
        </div>
        {passwordSet && <FormCheckbox name="forgotten" label="Прежний пароль утерян" />}
        {forgotten && (
          <p className="message message-warn small">
            Новые копии будут зашифрованы новым паролем. Уже сделанные копии по-прежнему открываются только прежним паролем.
          </p>
        )}
      </ContractForm>
      {done && (
        <p className="message message-success" role="status">
          Пароль сохранён. Отпечаток ключа подписи школы: <span className="mono">{done}</span>
        </p>
      )}
    </section>
  );
}

/**
 * D-39: the public half of the school's signing key, to check a copy's authenticity later.
 * The page gives it the fingerprint as its React key, so it re-reads when the key appears.
 */
export function SigningKeyCard({ fingerprint }: { fingerprint: string | null }) {
  const key = useApiQuery('backup.publicKey', {});
  const shown = key.data?.fingerprint ?? fingerprint;
  return (
    <section className="card" aria-label="Ключ подписи школы">
      <h2>Ключ подписи школы</h2>
      <ErrorMessage error={key.error} />
      {shown ? (
        <>
          <p className="small">Каждая копия и архив года подписаны ключом школы. Распечатайте отпечаток и храните с архивом: по нему проверяют, что копия подлинная.</p>
          <p className="fingerprint mono" data-testid="key-fingerprint">
            {shown}
          </p>
          {key.data?.publicKeyPem && (
            <>
              <details>
                <summary>Открытый ключ (PEM)</summary>
                <pre className="pem">{key.data.publicKeyPem}</pre>
              </details>
              <div className="form-actions">
                <button
                  type="button"
                  className="button"
                  onClick={() => saveBlob(new Blob([key.data!.publicKeyPem!], { type: 'application/x-pem-file' }), 'zhurnal-public-key.pem')}
                >
                  Сохранить открытый ключ
                </button>
              </div>
            </>
          )}
        </>
      ) : (
        <p className="muted">Ключ появится, когда будет задан пароль резервных копий.</p>
      )}
    </section>
  );
}
