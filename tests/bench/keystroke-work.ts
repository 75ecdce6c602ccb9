import type { CDPSession, Page } from '@playwright/test';

// The work a keystroke costs the page, read from a Chromium trace (DevTools protocol): CPU
// time of the renderer's main thread per key press, split into script, style, layout and
// paint, with how many elements were restyled and laid out. CPU (thread) time, not wall
// time: a busy machine delays the work but does not make it bigger, so these figures stay
// comparable when the wall-clock ones do not.

export interface KeyWork {
  /** The key pressed (as given to page.keyboard.press). */
  key: string;
  /** Main-thread CPU from the keydown's task to the end of the first frame committed after it, ms. */
  toPaint: number;
  /** All main-thread CPU from this keydown to the next one, ms (the save's answer included). */
  total: number;
  /** Self time of script (handlers, React, timers, microtasks, garbage collection), within `total`. */
  script: number;
  style: number;
  layout: number;
  /** Pre-paint, paint, layerising and the commit to the compositor. */
  paint: number;
  /** Frames committed within the slot. */
  frames: number;
  /** Elements whose style was recalculated. */
  restyled: number;
  /** Layout objects that needed layout. */
  laidOut: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  tts?: number;
  pid: number;
  tid: number;
  args?: { name?: string; elementCount?: number; beginData?: { dirtyObjects?: number }; data?: { type?: string } };
}

function kindOf(name: string): 'script' | 'style' | 'layout' | 'paint' | 'other' {
  if (/^(UpdateLayoutTree|Document::recalcStyle|Document::UpdateStyle|StyleEngine|ParseAuthorStyleSheet|RecalculateStyles|InvalidateLayout|ScheduleStyleRecalculation)/.test(name)) return 'style';
  if (/^(Layout|LocalFrameView::performLayout|LocalFrameView::UpdateLayout|LayoutShift|UpdateLayerTree$)/.test(name)) return 'layout';
  if (/Paint|^Commit$|Layerize|UpdateLayer|LayerTreeHost|BeginMainFrame|Compositor|Raster|Hit ?Test|ScrollAnchor|IntersectionObserver/.test(name)) return 'paint';
  if (/^(FunctionCall|EvaluateScript|v8|V8|EventDispatch|TimerFire|FireAnimationFrame|FireIdleCallback|RunMicrotasks|BlinkScheduler_PerformMicrotaskCheckpoint|MajorGC|MinorGC|GC|XHR|ResourceFetcher|HTMLDocumentParser|ParseHTML|Animation|AnimationTimeline)/.test(name)) return 'script';
  return 'other';
}

export async function startTrace(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'cc', 'blink'], recordMode: 'recordAsMuchAsPossible' },
  });
  return cdp;
}

export async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  return events;
}

/** Pairs B/E events into complete ones, per thread. */
function complete(events: TraceEvent[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  const open = new Map<string, TraceEvent[]>();
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    if (event.ph === 'X') out.push(event);
    else if (event.ph === 'B') {
      const stack = open.get(`${event.pid}:${event.tid}`) ?? [];
      stack.push(event);
      open.set(`${event.pid}:${event.tid}`, stack);
    } else if (event.ph === 'E') {
      const begin = open.get(`${event.pid}:${event.tid}`)?.pop();
      if (begin) {
        const tdur = begin.tts !== undefined && event.tts !== undefined ? event.tts - begin.tts : undefined;
        out.push({ ...begin, ph: 'X', dur: event.ts - begin.ts, ...(tdur !== undefined ? { tdur } : {}), args: { ...begin.args, ...(event.args as object) } });
      }
    }
  }
  return out;
}

/** Main-thread events with their self CPU time (ms), in start order; and the keydowns. */
function selfTimes(raw: TraceEvent[]): { own: { event: TraceEvent; self: number; topLevel: boolean }[]; keydowns: TraceEvent[] } {
  const events = complete(raw);
  const keydowns = events.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown').sort((a, b) => a.ts - b.ts);
  if (keydowns.length === 0) return { own: [], keydowns };
  const main = `${keydowns[0]!.pid}:${keydowns[0]!.tid}`;
  const sorted = events.filter((e) => `${e.pid}:${e.tid}` === main).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const cpu = (e: TraceEvent) => e.tdur ?? e.dur ?? 0;
  const own: { event: TraceEvent; self: number; topLevel: boolean }[] = [];
  const stack: { event: TraceEvent; child: number; topLevel: boolean }[] = [];
  const close = (upTo: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.event.ts + (stack[stack.length - 1]!.event.dur ?? 0) <= upTo) {
      const { event, child, topLevel } = stack.pop()!;
      own.push({ event, self: Math.max(0, cpu(event) - child) / 1000, topLevel });
      if (stack.length > 0) stack[stack.length - 1]!.child += cpu(event);
    }
  };
  for (const event of sorted) {
    close(event.ts);
    stack.push({ event, child: 0, topLevel: stack.length === 0 });
  }
  close(Infinity);
  own.sort((a, b) => a.event.ts - b.event.ts);
  return { own, keydowns };
}

/**
 * Splits a trace of key presses into one record per keydown, in order (`keys` names them).
 * A keystroke's slot runs from the task holding its keydown to the next such task (or the
 * trace's end), so the paint after it and any follow-up (the save's answer) count.
 */
export function workPerKey(raw: TraceEvent[], keys: readonly string[]): KeyWork[] {
  const { own, keydowns } = selfTimes(raw);
  const tops = own.filter((item) => item.topLevel);
  const starts = keydowns.map((keydown) => tops.find(({ event }) => event.ts <= keydown.ts && keydown.ts <= event.ts + (event.dur ?? 0))?.event.ts ?? keydown.ts);
  const slot = (ts: number) => {
    let index = -1;
    for (let i = 0; i < starts.length && starts[i]! <= ts; i++) index = i;
    return index;
  };
  const result: KeyWork[] = keydowns.map((_, i) => ({ key: keys[i] ?? '?', toPaint: 0, total: 0, script: 0, style: 0, layout: 0, paint: 0, frames: 0, restyled: 0, laidOut: 0 }));
  const firstCommitEnd = keydowns.map(() => Infinity);
  for (const { event } of own) {
    const i = slot(event.ts);
    if (i < 0) continue;
    if (event.name === 'Commit' || event.name === 'ProxyMain::BeginMainFrame::commit') {
      result[i]!.frames++;
      if (event.ts > keydowns[i]!.ts) firstCommitEnd[i] = Math.min(firstCommitEnd[i]!, event.ts + (event.dur ?? 0));
    }
  }
  for (const { event, self, topLevel } of own) {
    const i = slot(event.ts);
    if (i < 0) continue;
    const work = result[i]!;
    work.total += self;
    if (event.ts < firstCommitEnd[i]!) work.toPaint += self;
    const kind = kindOf(event.name);
    if (kind !== 'other') work[kind] += self;
    if (event.name === 'UpdateLayoutTree') work.restyled += event.args?.elementCount ?? 0;
    if (event.name === 'Layout') work.laidOut += event.args?.beginData?.dirtyObjects ?? 0;
    void topLevel;
  }
  return result;
}

/** Self CPU time by event name on the main thread, per keydown slot: for finding where the work goes. */
export function breakdown(raw: TraceEvent[]): Map<string, number>[] {
  const events = complete(raw).filter((e) => e.ph === 'X');
  const keydowns = events.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown').sort((a, b) => a.ts - b.ts);
  if (keydowns.length === 0) return [];
  const main = `${keydowns[0]!.pid}:${keydowns[0]!.tid}`;
  const own = events.filter((e) => `${e.pid}:${e.tid}` === main).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const out = keydowns.map(() => new Map<string, number>());
  const stack: { e: TraceEvent; child: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.e.ts + (stack[stack.length - 1]!.e.dur ?? 0) <= upTo) {
      const { e, child } = stack.pop()!;
      const self = ((e.tdur ?? e.dur ?? 0) - child) / 1000;
      let i = -1;
      for (let k = 0; k < keydowns.length && keydowns[k]!.ts <= e.ts; k++) i = k;
      if (i >= 0) out[i]!.set(e.name, (out[i]!.get(e.name) ?? 0) + self);
      if (stack.length > 0) stack[stack.length - 1]!.child += e.tdur ?? e.dur ?? 0;
    }
  };
  for (const e of own) {
    close(e.ts);
    stack.push({ e, child: 0 });
  }
  close(Infinity);
  return out;
}

/** Debug: the main-thread events of one keydown's slot up to its first commit, as an indented tree. */
export function dumpSlot(raw: TraceEvent[], index: number, depth = 3, whole = false): string {
  const events = complete(raw).filter((e) => e.ph === 'X');
  const keydowns = events.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown').sort((a, b) => a.ts - b.ts);
  const keydown = keydowns[index]!;
  const main = `${keydown.pid}:${keydown.tid}`;
  const own = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ts >= keydown.ts - 2000).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const commit = own.find((e) => e.name === 'Commit' && e.ts > keydown.ts);
  const end = whole ? (keydowns[index + 1]?.ts ?? Infinity) : commit ? commit.ts + (commit.dur ?? 0) : keydown.ts + 50_000;
  const lines: string[] = [];
  const stack: TraceEvent[] = [];
  for (const e of own) {
    if (e.ts > end) break;
    while (stack.length > 0 && stack[stack.length - 1]!.ts + (stack[stack.length - 1]!.dur ?? 0) <= e.ts) stack.pop();
    if (stack.length < depth && ((e.tdur ?? e.dur ?? 0) >= 200 || stack.length === 0)) lines.push(`${'  '.repeat(stack.length)}${((e.ts - keydown.ts) / 1000).toFixed(1)} +${((e.tdur ?? e.dur ?? 0) / 1000).toFixed(2)} ${e.name}`);
    stack.push(e);
  }
  return lines.join('\n');
}
