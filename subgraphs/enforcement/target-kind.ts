/** What an inspection visits: 企业 an enterprise, or 场所 a place (a market, a venue) run by one. */
export enum TargetKind {
  ENTERPRISE = 'ENTERPRISE',
  PLACE = 'PLACE',
}
