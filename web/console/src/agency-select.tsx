import type { AgencyKind } from './generated/graphql';
import { useI18n } from './i18n';

/** Every agency the API knows (the type fails when it gains one), in the order offered: the petition bureau first. */
const OFFERED = {
  PETITION_BUREAU: true,
  PUBLIC_SECURITY: true,
  MARKET_REGULATION: true,
  ECOLOGY_ENVIRONMENT: true,
  EMERGENCY_MANAGEMENT: true,
  FIRE_RESCUE: true,
  URBAN_MANAGEMENT: true,
  HEALTH: true,
  HOUSING_CONSTRUCTION: true,
  HUMAN_RESOURCES: true,
  TRANSPORT: true,
} satisfies Record<AgencyKind, true>;
const AGENCIES = Object.keys(OFFERED) as AgencyKind[];

/** An agency picked by its name (公安局), sent as the API's value (PUBLIC_SECURITY). */
export function AgencySelect({ name, value, onChange }: { name: string; value: string; onChange: (agency: AgencyKind) => void }) {
  const { t } = useI18n();
  return (
    <select name={name} value={value} onChange={(event) => onChange(event.target.value as AgencyKind)} required>
      {AGENCIES.map((agency) => (
        <option key={agency} value={agency}>
          {t(`agency.${agency}`)}
        </option>
      ))}
    </select>
  );
}
