// `npm run bench:table -- FILE…`: rewrites the README's table of figures from the JSON the
// bench writes (`npm run bench -- --json FILE`), between the markers below. Several files
// (one per `--only` run) are merged in order; a later figure of the same name (and the same
// occurrence of that name in its file) wins.
import { readFileSync, writeFileSync } from 'node:fs';
import { meetsTarget, type Figure } from './figure';

const START = '<!-- bench-table:start (npm run bench:table -- bench.json) -->';
const END = '<!-- bench-table:end -->';
const README = new URL('../../README.md', import.meta.url);

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

export function figuresTable(figures: readonly Figure[]): string {
  const lines = ['| figure | value | target |', '|---|---|---|'];
  for (const f of figures) {
    const verdict = meetsTarget(f.value, f.target);
    lines.push(`| ${escapeCell(f.name)} | ${f.value} ${escapeCell(f.unit)} | ${f.target ? `${escapeCell(f.target)} ${verdict}` : '—'} |`);
  }
  return lines.join('\n');
}

function main(files: string[]): number {
  if (files.length === 0) {
    console.error('Использование: npm run bench:table -- ФАЙЛ.json [ФАЙЛ.json …] (файлы из npm run bench -- --json ФАЙЛ)');
    return 2;
  }
  // A sub-row's name may repeat under different parents («  отношение к полу…» for the page and
  // for the save): a figure is its name and which occurrence of that name it is in its file.
  const byName = new Map<string, Figure>();
  for (const file of files) {
    const seen = new Map<string, number>();
    for (const figure of JSON.parse(readFileSync(file, 'utf8')) as Figure[]) {
      const occurrence = (seen.get(figure.name) ?? 0) + 1;
      seen.set(figure.name, occurrence);
      byName.set(`${figure.name}\u0000${occurrence}`, figure);
    }
  }
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`В README.md нет меток ${START} … ${END}.`);
    return 1;
  }
  writeFileSync(README, `${readme.slice(0, start + START.length)}\n${figuresTable([...byName.values()])}\n${readme.slice(end)}`);
  console.log(`README.md: ${byName.size} показателей.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
