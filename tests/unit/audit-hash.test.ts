import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashRecord, KEYED_SCHEME, UNKNOWN_KEY } from '../../src-main/audit/chain';
import { auditKeyFrom } from '../../src-main/audit/key';

// The audit record's hash, from its documented form (docs/architecture.md, «The audit
// chain»): the content as a JSON array in a fixed order, its SHA-256, then the record's place
// «id:chain:prev_id:prev_hash:digest» — hashed (scheme 2) or keyed with HMAC-SHA-256 (scheme 3).

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const mark = {
  id: 12,
  chain: 3,
  prev_id: 9,
  prev_hash: GENESIS_HASH,
  at: '2026-10-14T05:31:00.000Z',
  user_id: 7,
  action: 'mark.create',
  entity: 'mark',
  entity_id: '501',
  before_json: null,
  after_json: '{"value":"5","studentId":44}',
  reason: null,
};
const content = '["2026-10-14T05:31:00.000Z",7,"mark.create","mark","501",null,"{\\"value\\":\\"5\\",\\"studentId\\":44}",null]';
const place = `12:3:9:${GENESIS_HASH}:${sha256(content)}`;

describe('the audit record hash', () => {
  it('scheme 2: SHA-256 of the place and the content digest', () => {
    expect(hashRecord({ ...mark, hash_scheme: 2 })).toBe(sha256(place));
  });

  it('any change to what the record says, or where it stands, changes the hash', () => {
    const original = hashRecord({ ...mark, hash_scheme: 2 });
    expect(hashRecord({ ...mark, hash_scheme: 2, after_json: '{"value":"4","studentId":44}' })).not.toBe(original);
    expect(hashRecord({ ...mark, hash_scheme: 2, user_id: 8 })).not.toBe(original);
    expect(hashRecord({ ...mark, hash_scheme: 2, prev_id: 10 })).not.toBe(original);
  });

  it('scheme 3: HMAC with the school key; another key cannot tell', () => {
    const secret = Buffer.alloc(32, 1);
    const key = auditKeyFrom(secret);
    const keyed = { ...mark, hash_scheme: KEYED_SCHEME, key_id: key.id };
    expect(hashRecord(keyed, key)).toBe(createHmac('sha256', secret).update(place).digest('hex'));
    expect(hashRecord(keyed, auditKeyFrom(Buffer.alloc(32, 2)))).toBe(UNKNOWN_KEY);
    expect(hashRecord(keyed, null)).toBe(UNKNOWN_KEY);
  });

  it('scheme 1 (records before the chains): the whole record as one JSON array', () => {
    const whole = `[12,"2026-10-14T05:31:00.000Z",7,"mark.create","mark","501",null,"{\\"value\\":\\"5\\",\\"studentId\\":44}",null,"${GENESIS_HASH}"]`;
    expect(hashRecord({ ...mark, hash_scheme: 1 })).toBe(sha256(whole));
  });
});
