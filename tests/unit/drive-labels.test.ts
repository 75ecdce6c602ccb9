import { describe, expect, it } from 'vitest';
import { decodeConsoleOutput, windowsDriveIn } from '../../src-main/backup/destinations';

// The flash drive is found by its label through PowerShell. A Russian Windows console answers
// in cp866 unless told otherwise; these are the bytes it sends for the label «ЖУРНАЛ».
const CP866_LINES = Buffer.from([
  0x43, 0x09, 0x0d, 0x0a, // "C\t" — the system disk, no label
  0x45, 0x09, 0x86, 0x93, 0x90, 0x8d, 0x80, 0x8b, 0x0d, 0x0a, // "E\tЖУРНАЛ"
  0x46, 0x09, 0x8f, 0xe0, 0xae, 0xe7, 0xa5, 0xa5, 0x0d, 0x0a, // "F\tПрочее"
]);

describe('the backup drive found by a Russian label on Windows', () => {
  it('reads cp866 output', () => {
    expect(decodeConsoleOutput(CP866_LINES)).toBe('C\t\r\nE\tЖУРНАЛ\r\nF\tПрочее\r\n');
    expect(windowsDriveIn(CP866_LINES, 'ЖУРНАЛ')).toBe('E:\\');
    expect(windowsDriveIn(CP866_LINES, 'журнал')).toBe('E:\\');
    expect(windowsDriveIn(CP866_LINES, 'Архив')).toBeNull();
  });

  it('reads the UTF-8 output PowerShell is asked for, with or without a byte-order mark', () => {
    const utf8 = Buffer.from('C\t\r\nE\tЖУРНАЛ\r\n', 'utf8');
    expect(windowsDriveIn(utf8, 'ЖУРНАЛ')).toBe('E:\\');
    expect(windowsDriveIn(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('E\tЖУРНАЛ\r\n', 'utf8')]), 'Журнал')).toBe('E:\\');
  });
});
