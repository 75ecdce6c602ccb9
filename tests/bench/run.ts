// `npm run bench [-- --json FILE] [-- --only NAME]`: runs the bench suites and prints their
// figures against the targets. Figures are printed, never asserted (no timing in tests).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { meetsTarget, type Figure } from './figure';
import { suites } from './suites/index';

function printTable(suite: string, figures: Figure[]): void {
  const rows = figures.map((f) => [f.name, String(f.value), f.unit, f.target || '—', meetsTarget(f.value, f.target)]);
  const header = ['Показатель (figure)', 'Значение (value)', 'Ед. (unit)', 'Цель (target)', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(`\n== ${suite}`);
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  let values: { json?: string; only?: string };
  try {
    ({ values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string' } }, allowPositionals: false }));
  } catch (error) {
    console.error(`Неверные параметры: ${(error as Error).message}\nИспользование: npm run bench -- [--json ФАЙЛ] [--only НАБОР]`);
    return 2;
  }
  const chosen = values.only ? suites.filter((s) => s.name === values.only) : suites;
  if (chosen.length === 0) {
    console.error(`Нет набора замеров «${values.only}». Есть: ${suites.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const all: Figure[] = [];
  let failed = false;
  for (const suite of chosen) {
    try {
      const figures = await suite.run();
      printTable(suite.name, figures);
      all.push(...figures);
    } catch (error) {
      failed = true;
      console.error(`\nНабор «${suite.name}» не выполнен: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const missed = all.filter((f) => meetsTarget(f.value, f.target) === '✗').length;
  console.log(`\nПоказателей: ${all.length}; не достигли цели: ${missed}.`);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(all.map(({ name, value, unit, target }) => ({ name, value, unit, target })), null, 2)}\n`);
    console.log(`Записано в ${values.json}`);
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
