import { describe, expect, it } from 'vitest';
import { isOwnRenderer, toCallRequest } from '../../src-main/shell/trust';

const own = 'file:///opt/Журнал/resources/app.asar/dist-renderer/index.html';

describe('the Electron shell accepts calls only from its own renderer', () => {
  it('the app page, with any route, is trusted; anything else is not', () => {
    expect(isOwnRenderer(`${own}#/journal`, own)).toBe(true);
    expect(isOwnRenderer('file:///tmp/evil/index.html', own)).toBe(false);
    expect(isOwnRenderer('https://example.org/index.html', own)).toBe(false);
    expect(isOwnRenderer(undefined, own)).toBe(false);
  });

  it('a foreign frame is refused, an unknown method is refused, a good call passes through', () => {
    expect(toCallRequest('https://example.org/', own, 'auth.whoami', {})).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(toCallRequest(own, own, 'require', {})).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(toCallRequest(own, own, 'auth.whoami', { input: {}, session: 'abc' })).toEqual({ method: 'auth.whoami', input: {}, session: 'abc' });
  });
});
