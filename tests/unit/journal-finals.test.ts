import { describe, expect, it } from 'vitest';
import { shortPeriodName, suggestedYearFinal, yearFinalKinds } from '../../src-shared/rules/finals';

// The year's columns on the last period's page (D-23) and what is suggested in them.

const rules = { scale: 'five' as const, averageDecimals: 2, finalRoundingThreshold: 0.5 };

describe('year finals on the journal page', () => {
  it('shows «Год» everywhere, and the exam and certificate columns in the 9th and 11th grades or where such finals exist', () => {
    expect(yearFinalKinds(5, [])).toEqual(['year']);
    expect(yearFinalKinds(9, [])).toEqual(['year', 'exam', 'final']);
    expect(yearFinalKinds(11, ['period'])).toEqual(['year', 'exam', 'final']);
    expect(yearFinalKinds(10, ['period', 'exam'])).toEqual(['year', 'exam', 'final']);
  });

  it('suggests the year from the period finals and the final from year and exam; deferred and special finals do not count', () => {
    expect(suggestedYearFinal('year', { periodFinals: ['4', '4', '5'], year: '', exam: '' }, rules)).toBe('4');
    expect(suggestedYearFinal('year', { periodFinals: ['4', '4', '5', '5'], year: '', exam: '' }, rules)).toBe('5');
    expect(suggestedYearFinal('year', { periodFinals: ['5', '', 'осв'], year: '', exam: '' }, rules)).toBe('5');
    expect(suggestedYearFinal('year', { periodFinals: ['', ''], year: '', exam: '' }, rules)).toBeNull();
    expect(suggestedYearFinal('final', { periodFinals: [], year: '4', exam: '5' }, rules)).toBe('5');
    expect(suggestedYearFinal('exam', { periodFinals: ['5'], year: '5', exam: '' }, rules)).toBeNull();
  });

  it('names the period final column of the last page briefly', () => {
    expect(shortPeriodName('IV четверть')).toBe('IV ч.');
    expect(shortPeriodName('II полугодие')).toBe('II пол.');
    expect(shortPeriodName('III триместр')).toBe('III тр.');
    expect(shortPeriodName('Модуль 5')).toBe('Модуль 5');
  });
});
