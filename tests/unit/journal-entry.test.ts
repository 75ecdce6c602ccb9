import { describe, expect, it } from 'vitest';
import { isCompleteEntry, parseEntry, parsePasted, splitCellText } from '../../src-renderer/journal/entry';
import type { MarkRules } from '../../src-shared/rules/marks';

// What a teacher types or pastes into the journal grid, read before anything is sent.

const fivePoint: MarkRules = { scale: 'five', specialMarks: ['н/а', 'осв'] };

describe('typing into a cell', () => {
  it('«н» is an absence, «оп» a lateness; a reason code is the class teacher\'s and refused', () => {
    expect(parseEntry('н', fivePoint)).toEqual({ ok: true, entry: { kind: 'attendance', code: 'ОТ' } });
    expect(parseEntry(' ОП ', fivePoint)).toEqual({ ok: true, entry: { kind: 'attendance', code: 'ОП' } });
    const reason = parseEntry('уп', fivePoint);
    expect(reason.ok).toBe(false);
    expect(!reason.ok && reason.message).toContain('классный руководитель');
  });

  it('a mark of the scale is kept, an empty cell or a dash clears, a mark off the scale is refused', () => {
    expect(parseEntry('5', fivePoint)).toEqual({ ok: true, entry: { kind: 'mark', value: '5' } });
    expect(parseEntry('—', fivePoint)).toEqual({ ok: true, entry: { kind: 'clear' } });
    expect(parseEntry('', fivePoint)).toEqual({ ok: true, entry: { kind: 'clear' } });
    expect(parseEntry('7', fivePoint).ok).toBe(false);
  });

  it('«5» is saved at once; «н» waits for Enter, since «н/а» starts the same way', () => {
    expect(isCompleteEntry('5', fivePoint)).toBe(true);
    expect(isCompleteEntry('оп', fivePoint)).toBe(true);
    expect(isCompleteEntry('н', fivePoint)).toBe(false);
    expect(isCompleteEntry('н/а', fivePoint)).toBe(true);
    // A period mark takes no attendance: «н» there can only be the start of «н/а».
    expect(isCompleteEntry('о', fivePoint, true)).toBe(false);
  });
});

describe('pasting a block from a spreadsheet', () => {
  it('rows by lines, columns by tabs; the trailing empty line Excel adds is dropped', () => {
    expect(parsePasted('5\t4\r\n3\tн\r\n')).toEqual([['5', '4'], ['3', 'н']]);
  });

  it('a quoted cell with a line break or a quote stays one cell (Excel quotes such cells)', () => {
    expect(parsePasted('"5\n4"\t3\n"н/а ""б"""\t\n')).toEqual([['5\n4', '3'], ['н/а "б"', '']]);
  });

  it('several marks in one cell are split by spaces, commas or semicolons', () => {
    expect(splitCellText('5 4')).toEqual(['5', '4']);
    expect(splitCellText('5,4;3')).toEqual(['5', '4', '3']);
    expect(splitCellText('5\n4')).toEqual(['5', '4']);
    expect(splitCellText('  ')).toEqual([]);
  });
});
