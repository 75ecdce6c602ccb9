// A diagnostic, not a bench figure: opens the journal page of the journal-ui bench, types
// «3», ↓ ten times at a typing pace and prints, per key, the main thread's CPU (to the frame
// that shows it, and in all) split into script, style, layout and paint, the frames it cost,
// and the elements restyled and laid out. Run after `npx vite build`:
//   npx tsx tests/bench/probe-keys.ts
// Options (environment): GAP=ms between keys (250); SHOW=n — the busiest trace events of the
// first n keys; DUMP=i [DEPTH=d] [WHOLE=1] — key i's events as a tree, to its first frame or
// (WHOLE) to the next key; PROFILE=1 — a JavaScript CPU profile by function (build with
// `npx vite build --minify false` for readable names); INJECT_CSS='…' — try a style change.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startBridge } from '../../src-main/bridge/server';
import { createCore } from '../../src-main/app/core';
import { build, signIn, NOW } from './suites/journal-ui';
import { breakdown, dumpSlot, startTrace, stopTrace, workPerKey } from './keystroke-work';

const staticDir = process.env.PROBE_RENDERER ?? fileURLToPath(new URL('../../dist-renderer', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'probe-keys-'));
const core = await createCore({ databaseUrl: join(dir, 'z.sqlite'), now: () => NOW });
const bridge = await startBridge({ core, staticDir });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--lang=ru-RU', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
const gap = Number(process.env.GAP ?? 250);
try {
  const { loadId } = await build(core);
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU', timezoneId: 'Asia/Tomsk', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, bridge.url);
  await page.evaluate("window.location.hash = '/'");
  await page.getByRole('heading', { level: 1, name: 'Главная' }).waitFor();
  const prof = await page.context().newCDPSession(page);
  if (process.env.PROFILE) {
    await prof.send('Profiler.enable');
    await prof.send('Profiler.setSamplingInterval', { interval: 100 });
  }
  const cdp = await startTrace(page);
  await page.evaluate(`window.location.hash = '/journal/${loadId}'`);
  await page.locator('[role="gridcell"][aria-selected="true"]').waitFor();
  if (process.env.INJECT_CSS) await page.addStyleTag({ content: process.env.INJECT_CSS });
  await page.getByRole('grid').focus();
  await page.waitForTimeout(1000);
  if (process.env.PROFILE) await prof.send('Profiler.start');
  const keys: string[] = [];
  for (let i = 0; i < 10; i++) {
    for (const key of ['3', 'ArrowDown']) {
      await page.keyboard.press(key);
      keys.push(key);
      await page.waitForTimeout(gap);
    }
  }
  if (process.env.PROFILE) {
    const { profile } = await prof.send('Profiler.stop');
    const self = new Map<string, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      const n = byId.get(id)!;
      const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
    });
    console.log([...self].filter(([n]) => !n.startsWith('(idle)') && !n.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, 40).map(([n, v]) => `${v.toFixed(1).padStart(7)} ${n}`).join('\n'));
  }
  const trace = await stopTrace(cdp);
  const work = workPerKey(trace, keys);
  const parts = breakdown(trace);
  if (process.env.DUMP) console.log(dumpSlot(trace, Number(process.env.DUMP), Number(process.env.DEPTH ?? 9), Boolean(process.env.WHOLE)));
  console.log(`load ${loadavg()[0]!.toFixed(2)}`);
  console.log('key       toPaint  total script  style layout  paint frames restyled laidOut');
  work.forEach((w) => console.log([w.key.padEnd(9), w.toPaint.toFixed(1), w.total.toFixed(1), w.script.toFixed(1), w.style.toFixed(1), w.layout.toFixed(1), w.paint.toFixed(1), w.frames, w.restyled, w.laidOut].map((x) => String(x).padStart(6)).join(' ')));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(1);
  const steady = work.slice(4);
  for (const key of ['3', 'ArrowDown']) {
    const of = steady.filter((w) => w.key === key);
    console.log(`median ${key}: toPaint ${median(of.map((w) => w.toPaint))}, total ${median(of.map((w) => w.total))}, style+layout+paint ${median(of.map((w) => w.style + w.layout + w.paint))}, script ${median(of.map((w) => w.script))}, frames ${median(of.map((w) => w.frames))}`);
  }
  parts.slice(0, Number(process.env.SHOW ?? 4)).forEach((m, i) => console.log(keys[i], [...m].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([n, v]) => `${n}=${v.toFixed(1)}`).join(' ')));
} finally {
  await browser.close();
  await bridge.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
