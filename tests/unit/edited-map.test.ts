import { describe, expect, it } from 'vitest';
import { EditedMap } from '../../src-renderer/journal/edited-map';

// The journal grid redraws the rows whose cells changed between two states of the page; a copy
// of the marks' map tells which keys were touched since the map the grid last drew.

const page = () => new Map([['1:10', '5'], ['1:11', '4'], ['2:10', '3']]);

describe('which cells a copy of the journal page\'s map says were touched', () => {
  it('one mark typed: only its cell, whatever the size of the page', () => {
    const drawn = page();
    const typed = new EditedMap(drawn);
    typed.set('2:11', '5');
    expect([...typed.editedSince(drawn)!]).toEqual(['2:11']);
    expect(typed.get('1:10')).toBe('5'); // the copy still holds every other cell
    expect(typed.size).toBe(4);
  });

  it('several states between two redraws: the cells of all of them, a deleted one too', () => {
    const drawn = page();
    const first = new EditedMap(drawn);
    first.set('1:10', '4');
    const second = new EditedMap(first);
    second.delete('2:10');
    const third = new EditedMap(second);
    third.set('1:10', '5');
    expect([...third.editedSince(drawn)!].sort()).toEqual(['1:10', '2:10']);
    expect([...third.editedSince(second)!]).toEqual(['1:10']);
    expect(third.editedSince(third)!.size).toBe(0);
  });

  it('a map it was not copied from (the page read again): unknown, so the grid compares everything', () => {
    const drawn = page();
    const typed = new EditedMap(page());
    typed.set('1:11', '2');
    expect(typed.editedSince(drawn)).toBeNull();
  });

  it('a long run of copies keeps only the last few alive: further back is unknown, not wrong', () => {
    const drawn = page();
    let map: Map<string, string> = drawn;
    for (let i = 0; i < 20; i++) {
      map = new EditedMap(map);
      map.set(`${i}:1`, '5');
    }
    expect((map as EditedMap<string, string>).editedSince(drawn)).toBeNull();
    expect(map.size).toBe(23);
  });
});
