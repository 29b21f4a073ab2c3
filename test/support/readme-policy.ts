/**
 * The README's access rules over the demo agreements, written from the README and not from the
 * code, for tests to hold the hub's answers against:
 *   - the demo signs petition warnings, basic person data and inspections among all configured
 *     cities, and petition details and personal data only between Jiaxing and Suzhou and among the
 *     demonstration zone's counties (青浦 310118, 吴江 320509, 嘉善 330421);
 *   - officers see their own jurisdiction (a city officer its counties) and the rest of their city;
 *   - personal data in full needs the home jurisdiction or PERSON_PERSONAL, and a stated purpose;
 *     owner-only data (key-person tags) the home jurisdiction alone.
 */

/** Cities of the demo's all-among agreements, as code prefixes. */
export const SHARED_AMONG = ['31', '3205', '3304', '3401'];
/** The demo's PETITION_DETAILS and PERSON_PERSONAL agreements (both ways). */
export const PERSONAL_BETWEEN: Array<[string, string]> = [
  ['3304', '3205'],
  ['310118', '320509'],
  ['310118', '330421'],
  ['320509', '330421'],
];

/** "330400" → "3304", "310000" → "31", "330421" → "330421": the digits a code stands for. */
export const own = (code: string) => (code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code);
const within = (code: string, prefix: string) => code.startsWith(prefix);

/** The caller's jurisdiction contains the record's. */
export const insider = (caller: string, record: string) => within(record, own(caller));
/** Officers of one city see each other's records (Shanghai's districts are one city, 3101). */
export const sameCity = (caller: string, record: string) => caller.slice(0, 4) === record.slice(0, 4);
/** PETITION_DETAILS and PERSON_PERSONAL: the demo's pairs. */
export const personalAgreement = (caller: string, record: string) =>
  PERSONAL_BETWEEN.some(([a, b]) => (within(caller, a) && within(record, b)) || (within(caller, b) && within(record, a)));
/** PETITION_WARNINGS, PERSON_BASIC, INSPECTIONS: among all four cities. */
export const sharedAgreement = (caller: string, record: string) => {
  const callerCity = SHARED_AMONG.find((prefix) => within(caller, prefix));
  const recordCity = SHARED_AMONG.find((prefix) => within(record, prefix));
  return Boolean(callerCity && recordCity && callerCity !== recordCity);
};

export type Shown = 'FULL' | 'MASKED' | 'FORBIDDEN';

/** What a caller of `caller` sees of a person whose home is `home`, by class of field. */
export function personPolicy(caller: string, home: string, purpose: boolean): { personal: Shown; basic: Shown; owner: Shown } {
  if (insider(caller, home)) return { personal: purpose ? 'FULL' : 'MASKED', basic: 'FULL', owner: 'FULL' };
  if (personalAgreement(caller, home)) return { personal: purpose ? 'FULL' : 'MASKED', basic: 'FULL', owner: 'FORBIDDEN' };
  if (sameCity(caller, home) || sharedAgreement(caller, home)) return { personal: 'MASKED', basic: 'FULL', owner: 'FORBIDDEN' };
  return { personal: 'FORBIDDEN', basic: 'FORBIDDEN', owner: 'FORBIDDEN' };
}

/** A warning (and a petition's outline through PETITION_WARNINGS) of jurisdiction `record`. */
export const seesWarning = (caller: string, record: string) => insider(caller, record) || sameCity(caller, record) || sharedAgreement(caller, record);
/** A petition's details (summary, content, petitioners, history…), and so who brought it. */
export const seesPetitionDetails = (caller: string, record: string) => insider(caller, record) || sameCity(caller, record) || personalAgreement(caller, record);
/** A petition's outline: either agreement opens it. */
export const seesPetitionOutline = (caller: string, record: string) => seesWarning(caller, record) || seesPetitionDetails(caller, record);
