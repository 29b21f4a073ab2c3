import { chainHash, ChainedRow, GENESIS_HASH, verifyChain } from '../auth/audit-chain';
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

describe('the audit hash chain', () => {
  const chain = (n: number): ChainedRow[] => {
    const rows: ChainedRow[] = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq += 1) {
      const content = { seq, at: `2026-11-25T10:00:0${seq}.000Z`, officer: '320500:1', jurisdiction: '320500', action: 'READ', record: `330400:${seq}`, fields: ['idNumber'], purpose: 'petition-handling', requestId: `r${seq}` };
      const hash = chainHash(prevHash, content);
      rows.push({ ...content, prevHash, hash });
      prevHash = hash;
    }
    return rows;
  };

  test('an untouched chain verifies', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, rows: 5 });
    expect(verifyChain([])).toEqual({ ok: true, rows: 0 });
  });

  test('an edited row is found', () => {
    const rows = chain(5);
    rows[2] = { ...rows[2], fields: ['idNumber', 'phone'] };
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/edited/) });
  });

  test('an edit that also rewrites the row’s hash is found at the next row', () => {
    const rows = chain(5);
    const edited = { ...rows[2], officer: '320500:2' };
    rows[2] = { ...edited, hash: chainHash(edited.prevHash, edited) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBadSeq: 4, reason: expect.stringMatching(/does not link/) });
  });

  test('a deleted row is found', () => {
    const rows = chain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBadSeq: 3, reason: expect.stringMatching(/rows 2–2 are missing/) });
  });

  test('a deleted first row is found', () => {
    expect(verifyChain(chain(3).slice(1))).toMatchObject({ ok: false, firstBadSeq: 2, reason: expect.stringMatching(/rows 1–1 are missing/) });
  });

  test('an inserted row is found', () => {
    const rows = chain(5);
    rows.splice(2, 0, { ...rows[2] });
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });
});
