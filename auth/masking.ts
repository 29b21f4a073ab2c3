/**
 * How personal data looks to those who may not see it in full (DOMAIN.md): enough to tell two
 * records apart and to recognise one's own, not enough to identify a stranger.
 *   ID number  330421********1234   (area code and last four)
 *   mobile     138****5678          (network prefix and last four)
 *   name       张*, 欧阳*            (the surname; compound surnames keep both characters)
 *   address    浙江省嘉兴市嘉善县     (down to the county or district)
 */

/** Compound surnames (复姓) common enough to meet: the mask keeps both characters. */
const COMPOUND_SURNAMES = new Set([
  '欧阳',
  '诸葛',
  '司马',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '南宫',
  '西门',
  '独孤',
  '申屠',
]);

export function maskIdNumber(value: string): string {
  if (value.length < 10) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

export function maskPhone(value: string): string {
  const landline = /^(0\d{2,3})-(\d{7,8})$/.exec(value);
  if (landline) return `${landline[1]}-${'*'.repeat(landline[2].length - 4)}${landline[2].slice(-4)}`;
  if (value.length < 8) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;
}

export function maskName(value: string): string {
  const characters = [...value];
  if (characters.length <= 1) return '*';
  const surname = COMPOUND_SURNAMES.has(characters.slice(0, 2).join('')) && characters.length > 2 ? 2 : 1;
  return characters.slice(0, surname).join('') + '*'.repeat(characters.length - surname);
}

/** The address down to its county-level part (区, 县, or a county-level 市 after a city); nothing finer. */
export function maskAddress(value: string): string {
  const match = /^((?:[^省]+省|[^自]+自治区)?(?:[^市]+市)?(?:[^区县市旗]+(?:区|县|市|旗)))/.exec(value);
  return match && match[1].length < value.length ? match[1] : (match?.[1] ?? '');
}
