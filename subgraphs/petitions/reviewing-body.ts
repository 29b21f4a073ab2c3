import { levelOf, owningRegion, provinceOf } from '../../auth/jurisdiction';

/**
 * Who decides a review (复查) and re-review (复核): the agency one level above the one that
 * handled the petition (上一级机关, 信访工作条例). A county's matter goes to its city; a city's
 * to its province, where the hub has one: `HUB_PROVINCE_REVIEW_BODIES` names the provinces whose
 * petition officers the hub serves ("330000,320000"); elsewhere a city's own matter has no
 * reviewing body here, and its review is decided outside the hub.
 */
export function reviewingBodyOf(handledIn: string, regionCodes: readonly string[], provinces = configuredProvinces()): string | undefined {
  const level = levelOf(handledIn);
  if (level === 'COUNTY' || level === 'STREET') {
    const city = owningRegion(handledIn, regionCodes);
    return city && city !== handledIn ? city : undefined;
  }
  if (level === 'CITY') {
    const province = provinceOf(handledIn);
    return provinces.includes(province) ? province : undefined;
  }
  return undefined;
}

function configuredProvinces(): string[] {
  return (process.env.HUB_PROVINCE_REVIEW_BODIES ?? '')
    .split(',')
    .map((code) => code.trim())
    .filter((code) => /^\d{2}0000$/.test(code));
}
