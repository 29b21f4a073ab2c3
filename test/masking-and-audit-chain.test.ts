import { createHash } from 'node:crypto';
import { canonical, chainHash, ChainedRow, GENESIS_HASH, verifyChain } from '../auth/audit-chain';
import { maskAddress, maskIdNumber, maskName, maskPhone } from '../auth/masking';

describe('masks (DOMAIN.md)', () => {
  test.each([
    ['330421199001011234', '330421********1234'],
    ['32058419850315123X', '320584********123X'],
  ])('ID number %s → %s', (value, masked) => expect(maskIdNumber(value)).toBe(masked));

  test.each([
    ['13812345678', '138****5678'],
    ['0573-82345678', '0573-****5678'],
    ['021-6234567', '021-***4567'],
  ])('phone %s → %s', (value, masked) => expect(maskPhone(value)).toBe(masked));

  test.each([
    ['张三', '张*'],
    ['王小明', '王**'],
    ['欧阳娜娜', '欧阳**'],
    ['诸葛亮', '诸葛*'],
    ['欧阳', '欧*'],
  ])('name %s → %s', (value, masked) => expect(maskName(value)).toBe(masked));

  test.each([
    ['浙江省嘉兴市嘉善县罗星街道人民大道100号', '浙江省嘉兴市嘉善县'],
    ['上海市青浦区朱家角镇北大街8号', '上海市青浦区'],
    ['江苏省苏州市吴江区松陵镇中山路1号', '江苏省苏州市吴江区'],
    ['浙江省嘉兴市海宁市硖石街道', '浙江省嘉兴市海宁市'],
  ])('address %s → %s', (value, masked) => expect(maskAddress(value)).toBe(masked));
});

describe('the keyed audit chain', () => {
  const KEY = Buffer.alloc(32, 7);
  const chain = (n: number, key: Uint8Array = KEY): ChainedRow[] => {
    const rows: ChainedRow[] = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq += 1) {
      const content = {
        seq,
        at: `2026-11-25T10:00:0${seq}.000Z`,
        officer: '320500:1',
        jurisdiction: '320500',
        action: 'READ',
        record: `330400:${seq}`,
        fields: ['idNumber'],
        purpose: 'petition-handling',
        requestId: `r${seq}`,
      };
      const hash = chainHash(key, prevHash, content);
      rows.push({ ...content, prevHash, hash });
      prevHash = hash;
    }
    return rows;
  };
  /** What someone without the key can do: recompute every hash from `from` on, unkeyed (sha256) as the old chain was. */
  const rehashedWithout = (rows: ChainedRow[], from: number): ChainedRow[] => {
    const out = rows.slice(0, from - 1);
    let prevHash = from > 1 ? out[from - 2].hash : GENESIS_HASH;
    for (const row of rows.slice(from - 1)) {
      const hash = createHash('sha256').update(prevHash).update('\n').update(canonical(row)).digest('hex');
      out.push({ ...row, prevHash, hash });
      prevHash = hash;
    }
    return out;
  };

  test('an untouched chain verifies, with and without a checkpoint', () => {
    expect(verifyChain(chain(5), KEY)).toEqual({ ok: true, rows: 5, lastCheckpointSeq: null });
    expect(verifyChain([], KEY)).toEqual({ ok: true, rows: 0, lastCheckpointSeq: null });
    const rows = chain(5);
    expect(verifyChain(rows, KEY, { seq: 4, hash: rows[3].hash })).toEqual({ ok: true, rows: 5, lastCheckpointSeq: 4 });
  });

  test('an edited row is found', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], fields: ['idNumber', 'phone'] };
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/edited/) });
  });

  test('an edit with every later hash recomputed (without the key) is found at the edited row', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], officer: '320500:2' };
    expect(verifyChain(rehashedWithout(rows, 3), KEY)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  test('a chain written under another key is found at its first row', () => {
    expect(verifyChain(chain(3, Buffer.alloc(32, 8)), KEY)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  test('a deleted row is found, and so is a deletion with the rest renumbered and rehashed', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/rows 2–2 are missing/) });
    const renumbered = rehashedWithout(
      rows.map((row, index) => ({ ...row, seq: index + 1 })),
      2,
    );
    expect(verifyChain(renumbered, KEY)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  test('a deleted first row is found', () => {
    expect(verifyChain(chain(3).slice(1), KEY)).toMatchObject({ ok: false, firstBadSeq: 2, reason: expect.stringMatching(/rows 1–1 are missing/) });
  });

  test('an inserted row is found', () => {
    const rows = chain(5);
    rows.splice(2, 0, { ...rows[2] });
    expect(verifyChain(rows, KEY)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  test('a row appended with a correct sha256 hash is found', () => {
    const rows = chain(4);
    const forged = { ...rows[3], seq: 5, requestId: 'forged' };
    const appended = rehashedWithout([...rows, forged], 5);
    expect(verifyChain(appended, KEY)).toMatchObject({ ok: false, firstBadSeq: 5, reason: expect.stringMatching(/edited|without the chain key/) });
  });

  test('rows cut off the end are found as far back as the newest checkpoint; after it, not', () => {
    const rows = chain(6);
    const checkpoint = { seq: 5, hash: rows[4].hash };
    expect(verifyChain(rows.slice(0, 3), KEY, checkpoint)).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: expect.stringMatching(/rows 4–5 are missing.*checkpoint/),
    });
    expect(verifyChain(rows.slice(0, 5), KEY, checkpoint)).toMatchObject({ ok: true, lastCheckpointSeq: 5 }); // row 6: the window
  });

  test('a row at a checkpoint that is not the one it vouched for is found', () => {
    const rows = chain(4);
    expect(verifyChain(rows, KEY, { seq: 3, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/checkpoint/) });
  });

  test('a walk can start after a known row', () => {
    const rows = chain(5);
    expect(verifyChain(rows.slice(3), KEY, null, { seq: 3, hash: rows[2].hash })).toMatchObject({ ok: true, rows: 2 });
    expect(verifyChain(rows.slice(3), KEY, null, { seq: 3, hash: rows[1].hash })).toMatchObject({ ok: false, firstBadSeq: 4 });
  });
});
