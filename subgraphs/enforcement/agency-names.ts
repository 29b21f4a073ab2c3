import { agencyName, AgencyKindName } from '../../auth/agencies';
import { DELTA_JURISDICTIONS } from '../../auth/delta-jurisdictions';

const NAMES = new Map(DELTA_JURISDICTIONS.map((j) => [j.code, j.name]));

export function jurisdictionName(code: string): string | null {
  return NAMES.get(code) ?? null;
}

/** "330421" + MARKET_REGULATION → "嘉善县市场监督管理局", + FIRE_RESCUE → "嘉善县消防救援大队"; the bare agency kind where the code is unknown. */
export function agencyNameIn(jurisdiction: string, kind: AgencyKindName): string {
  return agencyName(jurisdictionName(jurisdiction) ?? '', kind, jurisdiction);
}
