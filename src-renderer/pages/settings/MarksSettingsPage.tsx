import { useState } from 'react';
import type { z } from 'zod';
import { schoolContract, type workType as workTypeSchema } from '../../../src-shared/contract/school';
import { markScales, markScaleTitles, specialMarks, specialMarkTitles } from '../../../src-shared/rules/marks';
import { finalRoundingPresets, finalRoundingTitles, schoolSettingsPatchSchema, type SchoolSettings } from '../../../src-shared/school-settings';
import { api } from '../../api/client';
import { useCan } from '../../app/session';
import { ErrorMessage, formatHours, Loading } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, decimalText, FormCheckbox, FormCheckboxGroup, FormSelect, FormText, useContractForm, wholeNumberText } from '../../ui/contract-form';

// «Настройки отметок» (D-20 … D-22, D-25): the scale, special marks, rounding, the edit
// window, and the work types with their weights.

type WorkType = z.infer<typeof workTypeSchema>;

export function MarksSettingsPage() {
  const can = useCan();
  const manage = can('school.manage');
  const settings = useApiQuery('settings.get', {});
  const workTypes = useApiQuery('settings.workTypes.list', { includeInactive: true });

  return (
    <div className="school-page columns columns-wide-right">
      <section className="card" aria-label="Шкала и правила">
        <h2>Шкала и правила</h2>
        <ErrorMessage error={settings.error} />
        {!settings.data ? <Loading /> : <MarksRulesForm settings={settings.data} editable={manage} onSaved={settings.reload} />}
      </section>
      <section className="card" aria-label="Виды работ">
        <h2>Виды работ и веса</h2>
        <p className="muted small">Средний балл взвешенный: отметка за контрольную с весом 2 весит вдвое больше устного ответа. Отключённый вид не предлагается в журнале, но старые отметки сохраняются.</p>
        <ErrorMessage error={workTypes.error} />
        {!workTypes.data ? <Loading /> : <WorkTypesTable workTypes={workTypes.data} editable={manage} onChanged={workTypes.reload} />}
      </section>
    </div>
  );
}

const settingsFields = schoolSettingsPatchSchema.pick({ markScale: true, specialMarks: true, averageDecimals: true, finalRoundingThreshold: true }).required().extend({
  editWindowDays: wholeNumberText(schoolSettingsPatchSchema.shape.editWindowDays.unwrap(), 'Окно исправлений — целым числом дней, например 14'),
});

function MarksRulesForm({ settings, editable, onSaved }: { settings: SchoolSettings; editable: boolean; onSaved(): Promise<void> }) {
  const form = useContractForm(settingsFields, {
    markScale: settings.markScale,
    specialMarks: settings.specialMarks,
    averageDecimals: settings.averageDecimals,
    finalRoundingThreshold: settings.finalRoundingThreshold,
    editWindowDays: String(settings.editWindowDays),
  });
  const [saved, setSaved] = useState(false);
  const thresholdOptions = (Object.keys(finalRoundingPresets) as (keyof typeof finalRoundingPresets)[]).map((key) => ({ value: String(finalRoundingPresets[key]), label: finalRoundingTitles[key] }));
  const threshold = String(settings.finalRoundingThreshold);
  if (!thresholdOptions.some((option) => option.value === threshold)) thresholdOptions.push({ value: threshold, label: `С ${threshold.replace('.', ',')} вверх` });

  return (
    <ContractForm
      form={form}
      aria-label="Шкала и правила"
      submitLabel="Сохранить настройки"
      busyLabel="Сохраняю…"
      disabled={!editable}
      onSubmit={async (values) => {
        setSaved(false);
        await api.call('settings.update', values);
        setSaved(true);
        await onSaved();
      }}
    >
      {saved && (
        <p className="message message-success" role="status">
          Настройки сохранены.
        </p>
      )}
      <FormSelect name="markScale" label="Шкала отметок" options={markScales.map((value) => ({ value, label: markScaleTitles[value] }))} />
      <FormCheckboxGroup name="specialMarks" legend="Специальные отметки в журнале" options={specialMarks.map((value) => ({ value, label: `«${value}» — ${specialMarkTitles[value]}` }))} />
      <FormSelect name="finalRoundingThreshold" label="Округление итоговой отметки" numeric options={thresholdOptions} />
      <div className="field-row">
        <FormSelect
          name="averageDecimals"
          label="Знаков в среднем балле"
          numeric
          options={[0, 1, 2, 3].map((value) => ({ value: String(value), label: value === 0 ? 'целое' : `${value} (${(4.5678).toFixed(value).replace('.', ',')})` }))}
        />
        <FormText
          name="editWindowDays"
          label="Окно исправлений, дней"
          inputMode="numeric"
          hint="Сколько дней после урока учитель сам исправляет отметки и пропуски; позже — с согласия администрации."
        />
      </div>
    </ContractForm>
  );
}

function WorkTypesTable({ workTypes, editable, onChanged }: { workTypes: WorkType[]; editable: boolean; onChanged(): Promise<void> }) {
  const [editingId, setEditingId] = useState<number | 'new' | null>(null);
  const sorted = [...workTypes].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'ru'));
  return (
    <>
      <table className="table table-compact" aria-label="Виды работ">
        <thead>
          <tr>
            <th>Вид работы</th>
            <th className="cell-number">Вес</th>
            <th className="cell-number">Срок отметки, дней</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sorted.map((workType) =>
            editingId === workType.id ? (
              <WorkTypeRow
                key={workType.id}
                workType={workType}
                onDone={async () => {
                  setEditingId(null);
                  await onChanged();
                }}
                onCancel={() => setEditingId(null)}
              />
            ) : (
              <tr key={workType.id} className={workType.active ? undefined : 'row-departed'}>
                <td>
                  {workType.name}
                  {!workType.active && <span className="badge badge-warn">отключён</span>}
                </td>
                <td className="cell-number">{formatHours(workType.weight)}</td>
                <td className="cell-number">{workType.markDueDays}</td>
                <td className="cell-actions">
                  {editable && (
                    <button type="button" className="button button-link" onClick={() => setEditingId(workType.id)} aria-label={`Изменить: ${workType.name}`}>
                      Изменить
                    </button>
                  )}
                </td>
              </tr>
            ),
          )}
          {editingId === 'new' && (
            <WorkTypeRow
              workType={null}
              nextOrder={(sorted[sorted.length - 1]?.sortOrder ?? 0) + 10}
              onDone={async () => {
                setEditingId(null);
                await onChanged();
              }}
              onCancel={() => setEditingId(null)}
            />
          )}
        </tbody>
      </table>
      {editable && editingId !== 'new' && (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => setEditingId('new')}>
            Добавить вид работы
          </button>
        </div>
      )}
    </>
  );
}

const workTypeInput = schoolContract['settings.workTypes.create'].input;
const workTypeFields = workTypeInput.extend({
  weight: decimalText(workTypeInput.shape.weight, 'Вес — числом, например 1 или 2,5'),
  markDueDays: wholeNumberText(workTypeInput.shape.markDueDays.unwrap(), 'Срок — целым числом дней'),
  sortOrder: wholeNumberText(workTypeInput.shape.sortOrder.unwrap(), 'Порядок — целым числом'),
});

function WorkTypeRow({ workType, nextOrder = 0, onDone, onCancel }: { workType: WorkType | null; nextOrder?: number; onDone(): Promise<void>; onCancel(): void }) {
  const form = useContractForm(workTypeFields, {
    name: workType?.name ?? '',
    weight: workType ? formatHours(workType.weight) : '1',
    markDueDays: String(workType?.markDueDays ?? 1),
    sortOrder: String(workType?.sortOrder ?? nextOrder),
    active: workType?.active ?? true,
  });
  const title = workType ? `Вид работы «${workType.name}»` : 'Новый вид работы';
  return (
    <tr className="row-editing">
      <td colSpan={4}>
        <ContractForm
          form={form}
          aria-label={title}
          className="inline-form inline-form-wrap"
          submitLabel={workType ? 'Сохранить' : 'Добавить'}
          onSubmit={async (values) => {
            if (workType) await api.call('settings.workTypes.update', { id: workType.id, ...values });
            else await api.call('settings.workTypes.create', values);
            await onDone();
          }}
          actions={
            <button type="button" className="button" onClick={onCancel}>
              Отмена
            </button>
          }
        >
          <FormText name="name" label="Вид работы" autoFocus placeholder="Контрольная работа" />
          <FormText name="weight" label="Вес" inputMode="decimal" size={4} />
          <FormText name="markDueDays" label="Срок, дней" inputMode="numeric" size={3} />
          <FormText name="sortOrder" label="Порядок" inputMode="numeric" size={4} />
          <FormCheckbox name="active" label="Используется" />
        </ContractForm>
      </td>
    </tr>
  );
}
