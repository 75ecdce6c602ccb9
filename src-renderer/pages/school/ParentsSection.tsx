import { useState } from 'react';
import { z } from 'zod';
import { parentFields, parentRelations, type StudentParent } from '../../../src-shared/contract/parents';
import { api } from '../../api/client';
import { ErrorMessage, Loading, russianDate } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { ContractForm, FormCheckbox, FormDate, FormSelect, FormText, useContractForm } from '../../ui/contract-form';

// Parents and legal representatives in the student card (000 §4.6.2–4.6.4): who they are,
// how to reach them, who receives the paper, their own consent to personal-data processing
// (D-45). The form is the contract's own schema: a phone in a wrong shape is refused here
// in the same words the core would use, and nothing is sent.

const fields = z.object(parentFields);
type Draft = z.input<typeof fields>;

const relationOptions = parentRelations.map((relation) => ({ value: relation, label: relation }));
const emptyDraft: Draft = { fullName: '', relation: 'мать', phone: '', address: '', receivesPaper: false, consentGivenOn: null, consentWithdrawnOn: null };

const draftOf = (parent: StudentParent): Draft => ({
  fullName: parent.fullName,
  relation: parent.relation,
  phone: parent.phone,
  address: parent.address,
  receivesPaper: parent.receivesPaper,
  consentGivenOn: parent.consentGivenOn,
  consentWithdrawnOn: parent.consentWithdrawnOn,
});

function consentText(parent: StudentParent): string {
  if (parent.consentGivenOn === null) return 'согласие не зарегистрировано';
  const given = `согласие от ${russianDate(parent.consentGivenOn)}`;
  return parent.consentWithdrawnOn ? `${given}, отозвано ${russianDate(parent.consentWithdrawnOn)}` : given;
}

export function ParentsSection({ studentId, editable, onChanged }: { studentId: number; editable: boolean; onChanged(): Promise<void> }) {
  const parents = useApiQuery('students.parents.list', { studentId });
  const remove = useAction();
  const [editing, setEditing] = useState<number | 'new' | null>(null);

  async function changed() {
    setEditing(null);
    await parents.reload();
    await onChanged();
  }

  return (
    <section className="panel-section" aria-label="Родители и законные представители">
      <h3>Родители и законные представители</h3>
      <ErrorMessage error={parents.error ?? remove.error} />
      {parents.data === null ? (
        parents.loading && <Loading />
      ) : parents.data.length === 0 ? (
        <p className="message message-warn" role="status">
          Родитель не указан: выписки и отчёты классный руководитель передаёт сам.
        </p>
      ) : (
        <ul className="plain-list" aria-label="Родители">
          {parents.data.map((parent) => (
            <li key={parent.id}>
              {editing === parent.id ? (
                <ParentForm
                  label={`Исправить: ${parent.fullName}`}
                  defaults={draftOf(parent)}
                  submitLabel="Сохранить"
                  onSubmit={(values) => api.call('students.parents.update', { id: parent.id, ...values })}
                  onDone={changed}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <>
                  <strong>{parent.fullName}</strong> ({parent.relation}){parent.receivesPaper && <span className="badge badge-info">получает выписки</span>}
                  <div className="small">
                    {parent.phone || <span className="muted">телефон не указан</span>}
                    {parent.address && ` · ${parent.address}`}
                  </div>
                  <div className="small">
                    {parent.consentMissing ? <span className="badge badge-bad">{consentText(parent)}</span> : <span className="muted">{consentText(parent)}</span>}
                  </div>
                  {editable && (
                    <div className="small">
                      <button type="button" className="button button-link" onClick={() => setEditing(parent.id)}>
                        Исправить
                      </button>{' '}
                      <button
                        type="button"
                        className="button button-link"
                        disabled={remove.busy}
                        onClick={() => {
                          if (window.confirm(`Удалить сведения о родителе «${parent.fullName}»?`)) void remove.run(() => api.call('students.parents.remove', { id: parent.id }), changed);
                        }}
                      >
                        Удалить
                      </button>
                    </div>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable &&
        (editing === 'new' ? (
          <ParentForm
            label="Новый родитель"
            defaults={{ ...emptyDraft, receivesPaper: (parents.data ?? []).length === 0 }}
            submitLabel="Добавить"
            onSubmit={(values) => api.call('students.parents.add', { studentId, ...values })}
            onDone={changed}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            Добавить родителя
          </button>
        ))}
    </section>
  );
}

function ParentForm({
  label,
  defaults,
  submitLabel,
  onSubmit,
  onDone,
  onCancel,
}: {
  label: string;
  defaults: Draft;
  submitLabel: string;
  onSubmit(values: z.output<typeof fields>): Promise<unknown>;
  onDone(): Promise<void>;
  onCancel(): void;
}) {
  const form = useContractForm(fields, defaults);
  return (
    <ContractForm
      form={form}
      aria-label={label}
      className="form-section"
      submitLabel={submitLabel}
      busyLabel="Сохраняю…"
      onSubmit={async (values) => {
        await onSubmit(values);
        await onDone();
      }}
      actions={
        <button type="button" className="button" onClick={onCancel}>
          Отмена
        </button>
      }
    >
      <FormText name="fullName" label="ФИО" autoComplete="off" />
      <div className="field-row">
        <FormSelect name="relation" label="Кем приходится" options={relationOptions} />
        <FormText name="phone" label="Телефон" placeholder="+7 912 345-67-89" inputMode="tel" />
      </div>
      <FormText name="address" label="Адрес для писем" placeholder="г. Томск, ул. Ленина, д. 5, кв. 12" />
      <FormCheckbox name="receivesPaper" label="Получает бумажные выписки и письма" />
      <div className="field-row">
        <FormDate name="consentGivenOn" label="Согласие на обработку ПДн дано" nullable />
        <FormDate name="consentWithdrawnOn" label="Согласие отозвано" nullable />
      </div>
    </ContractForm>
  );
}
