/**
 * Audit rows written before rows named their record's type (audit-record.ts) name only the
 * global id, which a person shares with the petition, warning, inspection and officer of the
 * same local id. They are not rewritten (the hash chain covers them): such a row counts as a
 * person's when its action is one only a person's row had. Those were the reads of a person's
 * personal data in full (READ, written by the masking of Person fields alone), the lookups by id
 * number, and the changes made by the mutations below; every other mutation of that time changed
 * an officer, petition, warning, inspection, task, agreement or the hub's resident index. The list
 * is history: it stays as it is, whatever mutations come later (those write typed rows).
 */
export const LEGACY_PERSON_ACTIONS: readonly string[] = [
  'READ',
  'LOOKUP_BY_ID_NUMBER',
  ...['registerPerson', 'tagPerson', 'untagPerson', 'movePersonHome', 'receiveMovedPerson', 'settleMovedPerson', 'checkPersonMove', 'settleResidentClaim'].map(
    (mutation) => `CHANGE:${mutation}`,
  ),
];
