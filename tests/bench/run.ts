// `npm run bench [-- --json FILE] [-- --only NAME[,NAME…]]`: runs the bench suites, each in its own process, and prints their
// figures against the targets. Figures are printed, never asserted (no timing in tests).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** This script again, through the same loader (tsx), for one suite; its table goes to our output. */
function runSuiteProcess(name: string, jsonFile: string): Promise<number> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, '--only', name, '--json', jsonFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    // The child's closing lines (its count and the file written) are ours to print, once.
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (!/^(Показателей:|Записано в )/.test(line)) console.log(line);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  let values: { json?: string; only?: string };
  try {
    ({ values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string' } }, allowPositionals: false }));
  } catch (error) {
    console.error(`Неверные параметры: ${(error as Error).message}\nИспользование: npm run bench -- [--json ФАЙЛ] [--only НАБОР]`);
    return 2;
  }
  const names = values.only?.split(',').map((n) => n.trim()) ?? null;
  const chosen = names ? suites.filter((s) => names.includes(s.name)) : suites;
  if (chosen.length === 0) {
    console.error(`Нет набора замеров «${values.only}». Есть: ${suites.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const all: Figure[] = [];
  let failed = false;
  if (chosen.length > 1) {
    // Each suite in a fresh process: a suite's peak memory, JIT and garbage must not carry
    // into the next one's figures (a whole-school print after the demo generation read twice
    // its own RSS).
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-'));
    try {
      for (const suite of chosen) {
        const file = join(dir, `${suite.name}.json`);
        const code = await runSuiteProcess(suite.name, file);
        if (code !== 0) failed = true;
        try {
          all.push(...(JSON.parse(readFileSync(file, 'utf8')) as Figure[]));
        } catch {
          failed = true;
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
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
  }
  const missed = all.filter((f) => meetsTarget(f.value, f.target) === '✗').length;
  console.log(`\nПоказателей: ${all.length}; не достигли цели: ${missed}.`);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(all.map(({ name, value, unit, target }) => ({ name, value, unit, target })), null, 2)}\n`);
    console.log(`Записано в ${values.json}`);
  }
  return failed ? 1 : 0;
}

const code = await main();
// A suite that failed half-way may leave a server or a browser open; its figures are written,
// so the process ends here rather than wait on them (the runner goes on to the next suite).
if (code !== 0) process.exit(code);
process.exitCode = code;
