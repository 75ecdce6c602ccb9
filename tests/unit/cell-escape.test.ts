import { describe, expect, it } from 'vitest';
import { escapeSpreadsheetText, unescapeSpreadsheetText } from '../../src-main/school/files/cell-escape';

describe('spreadsheet cells against formula injection (OWASP)', () => {
  it('quotes text that starts with = + - @ tab or CR, and nothing else', () => {
    expect(['=1+1', '+7 999', '-x', '@SUM(A1)', '\tИванов', '\rИванов'].map(escapeSpreadsheetText)).toEqual(["'=1+1", "'+7 999", "'-x", "'@SUM(A1)", "'\tИванов", "'\rИванов"]);
    expect(['Иванов', '5А', '', ' =1', "'=1"].map(escapeSpreadsheetText)).toEqual(['Иванов', '5А', '', ' =1', "'=1"]);
  });

  it('leaves negative numbers alone: a number column stays numbers', () => {
    expect(['-3', '-4,5', '-0.25'].map(escapeSpreadsheetText)).toEqual(['-3', '-4,5', '-0.25']);
    expect(['-3-1', '-1+cmd'].map(escapeSpreadsheetText)).toEqual(["'-3-1", "'-1+cmd"]);
  });

  it('an import takes off the quote an export added, and only that one', () => {
    expect(["'=1+1", "'@SUM(A1)", "'-x"].map(unescapeSpreadsheetText)).toEqual(['=1+1', '@SUM(A1)', '-x']);
    expect(["'Иванов", "'", "'5"].map(unescapeSpreadsheetText)).toEqual(["'Иванов", "'", "'5"]);
  });
});
