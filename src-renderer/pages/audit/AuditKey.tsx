import { useEffect, useState } from 'react';
import { z } from 'zod';
import { accountsContract } from '../../../src-shared/contract/accounts';
import type { MethodOutput } from '../../../src-shared/contract/index';
import { api } from '../../api/client';
import { ContractForm, FormTextArea, useContractForm } from '../../ui/contract-form';

type KeyStatus = MethodOutput<'audit.keyStatus'>;
type KeySlip = MethodOutput<'audit.keyPhrase'>;

const phraseFields = accountsContract['audit.keyEnter'].input;
const noFields = z.object({});

/**
 * Says plainly when this PC lacks the school's audit key, and takes it: the phrase from the
 * slip in the safe, or the key file from a flash drive. Shown on the login screen (the key
 * is best entered before anyone signs in here) and on the audit page.
 */
export function AuditKeyMissing() {
  const [status, setStatus] = useState<KeyStatus | null>(null);
  const form = useContractForm(phraseFields, { phrase: '' });
  const [entered, setEntered] = useState(false);

  useEffect(() => {
    api.call('audit.keyStatus', {}).then(setStatus, () => setStatus(null));
  }, []);

  if (entered) {
    return (
      <p className="message message-success" role="status">
        Ключ журнала изменений школы сохранён на этом компьютере.
      </p>
    );
  }
  if (!status || !status.schoolHasKey || status.onThisPc || !status.canHold) return null;
  return (
    <section className="message message-warn audit-key-missing" aria-label="Ключ журнала изменений">
      <p>
        На этом компьютере нет ключа журнала изменений школы. Журнал работает, но записи отсюда не подписаны: проверка целостности назовёт их, а
        резервную копию отсюда не сделать. Администратор вводит ключ один раз — фразу с листка из сейфа или файл ключа с флешки.
      </p>
      <ContractForm
        form={form}
        aria-label="Ввести ключ журнала изменений"
        submitLabel="Сохранить ключ на этом компьютере"
        busyLabel="Проверяю…"
        onSubmit={async ({ phrase }) => {
          setStatus(await api.call('audit.keyEnter', { phrase }));
          setEntered(true);
        }}
      >
        <FormTextArea name="phrase" label="Фраза ключа (11 групп по 5 знаков)" rows={2} maxLength={4000} spellCheck={false} />
        <label className="field">
          <span>или файл ключа</span>
          <input
            type="file"
            accept=".txt,text/plain"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void file.text().then((phrase) => form.setValue('phrase', phrase, { shouldValidate: true }));
            }}
          />
        </label>
      </ContractForm>
    </section>
  );
}

/** For the administrator: the phrase to print for the safe, and the key file to save. */
export function AuditKeySlip() {
  const [slip, setSlip] = useState<KeySlip | null>(null);
  const form = useContractForm(noFields, {});
  return (
    <section className="audit-key-slip" aria-label="Фраза ключа журнала изменений">
      <ContractForm
        form={form}
        aria-label="Показать фразу ключа"
        submitLabel={slip ? 'Показать ещё раз' : 'Показать фразу ключа журнала изменений'}
        onSubmit={async () => setSlip(await api.call('audit.keyPhrase', {}))}
      >
        <p className="muted">Фраза нужна, чтобы другие компьютеры школы подписывали записи и резервные копии. Показ записывается в журнал изменений.</p>
      </ContractForm>
      {slip && (
        <div className="key-slip">
          <p>Ключ журнала изменений школы «{slip.schoolName}»:</p>
          <p className="key-phrase">
            <code>{slip.phrase}</code>
          </p>
          <p className="muted">Распечатайте и храните в сейфе, как ключ от него: у кого фраза, тот может подписывать записи от имени программы.</p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => window.print()}>
              Распечатать
            </button>
            <a className="button" download="ключ-журнала-изменений.txt" href={`data:text/plain;charset=utf-8,${encodeURIComponent(slip.keyFile)}`}>
              Сохранить файл ключа
            </a>
            <button type="button" className="button" onClick={() => setSlip(null)}>
              Скрыть
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
