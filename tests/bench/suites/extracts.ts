import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays } from '../../../src-shared/rules/dates';
import { generateDemoSchool } from '../../../src-main/demo/generate';
import { printStudentReports } from '../../../src-main/extracts/documents';
import { printSchoolExtracts } from '../../../src-main/extracts/school-job';
import { classesOfYear, currentYear } from '../../../src-main/printing/repository';
import { openStore } from '../../../src-main/store/database';
import { migrateToLatest } from '../../../src-main/store/migrate';
import type { BenchSuite, Figure } from '../figure';

// The class extract for parents (bench): the largest class of the
// middle grades, every student's report for the last two weeks of a school year with its
// lessons, marks and absences, one PDF (target ≤ 2 s); then the whole school of 1200 students,
// a PDF per class into a folder as the job writes it (≤ 60 s, ≤ 1 GB peak). A one-year demo school of its own,
// so the suite does not wait for the large five-year one: 330 students in one class per
// grade make classes of about 30.

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** Late May: a whole year of lessons behind the fortnight. */
const TODAY = '2027-05-21';

export const extractsSuite: BenchSuite = {
  name: 'extracts',
  async run(): Promise<Figure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-extracts-'));
    const store = await openStore(join(dir, 'school.sqlite'));
    try {
      await migrateToLatest(store);
      await generateDemoSchool(store, { students: 330, years: 1, seed: 1, today: TODAY });
      const year = await currentYear(store.db, TODAY);
      if (!year) throw new Error('в демо-школе нет учебного года');
      let biggest = { id: 0, name: '', students: -1 };
      for (const c of (await classesOfYear(store.db, year.id)).filter((c) => c.grade >= 5 && c.grade <= 9)) {
        const row = await store.db.selectFrom('enrollment').select((eb) => eb.fn.countAll<number>().as('n')).where('class_id', '=', c.id).executeTakeFirstOrThrow();
        if (Number(row.n) > biggest.students) biggest = { id: c.id, name: c.name, students: Number(row.n) };
      }
      const request = { classId: biggest.id, from: addDays(TODAY, -13), to: TODAY, duplex: false, now: new Date(`${TODAY}T10:00:00Z`) };
      const walls: number[] = [];
      const cpus: number[] = [];
      let pages = 0;
      let students = 0;
      for (let i = 0; i < 5; i++) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const printed = await printStudentReports(store.db, request);
        walls.push((performance.now() - started) / 1000);
        const used = process.cpuUsage(cpu);
        cpus.push((used.user + used.system) / 1e6);
        pages = printed.pages;
        students = printed.students.length;
      }
      const warm = walls.slice(1);

      // The whole school (1200 students, one year): a PDF per class into a folder, as the job does.
      const bigStore = await openStore(join(dir, 'large.sqlite'));
      let school: { files: number; pages: number; wallS: number; cpuS: number; peakMb: number; classes: number };
      try {
        await migrateToLatest(bigStore);
        await generateDemoSchool(bigStore, { students: 1200, years: 1, seed: 1, today: TODAY });
        const bigYear = await currentYear(bigStore.db, TODAY);
        const folder = mkdtempSync(join(dir, 'out-'));
        let peak = process.memoryUsage().rss;
        const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
        const cpu = process.cpuUsage();
        const started = performance.now();
        try {
          const result = await printSchoolExtracts(bigStore, { yearId: bigYear!.id, from: request.from, to: TODAY, folder, duplex: false, record: null });
          const used = process.cpuUsage(cpu);
          peak = Math.max(peak, process.memoryUsage().rss);
          school = { ...result, wallS: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6, peakMb: peak / 1024 / 1024, classes: (await classesOfYear(bigStore.db, bigYear!.id)).length };
        } finally {
          clearInterval(timer);
        }
      } finally {
        await bigStore.close();
      }
      return [
        { name: `Отчёты для родителей, класс за две недели (${biggest.name}, ${students} уч.), первый запуск`, value: round(walls[0]!), unit: 's', target: '≤ 2 s' },
        // CPU beside wall: the first run parses the fonts; on a busy shared machine wall time also counts the neighbours.
        { name: 'Отчёты для родителей, класс за две недели, первый запуск, время процессора', value: round(cpus[0]!), unit: 's', target: '' },
        { name: `Отчёты для родителей, класс за две недели (${biggest.name}), медиана повторных`, value: round(median(warm)), unit: 's', target: '≤ 2 s' },
        { name: 'Отчёты для родителей, класс за две недели, время процессора, медиана повторных', value: round(median(cpus.slice(1))), unit: 's', target: '' },
        { name: 'Отчёты для родителей, класс за две недели, страниц', value: pages, unit: 'pages', target: '' },
        { name: `Отчёты для родителей всей школы за две недели (1200 уч., ${school.classes} классов, по PDF на класс)`, value: round(school.wallS, 1), unit: 's', target: '≤ 60 s' },
        { name: 'Отчёты для родителей всей школы, время процессора', value: round(school.cpuS, 1), unit: 's', target: '' },
        { name: 'Отчёты для родителей всей школы, страниц', value: school.pages, unit: 'pages', target: '' },
        { name: 'Отчёты для родителей всей школы, пиковая память процесса (RSS)', value: round(school.peakMb, 0), unit: 'MB', target: '≤ 1024 MB' },
      ];
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
