import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useCaller } from './caller';
import { useI18n } from './i18n';
import { href } from './route';
import { formatTime, Loading, Refusal, RegionBanner, serverErrors, ServerError, unavailableRegions } from './ui';
import { graphql } from './generated';
import type { AgencyKind } from './generated/graphql';
import { AgencySelect } from './agency-select';

const LIST = graphql(`
  query Inspections {
    inspections(first: 30) {
      edges {
        node {
          id
          region
          step
          targetName
          leadJurisdiction
          leadAgencyName
          plannedAt
          scenario {
            name
          }
        }
      }
    }
  }
`);
const SCENARIOS = graphql(`
  query Scenarios($region: String!) {
    inspectionScenarios(region: $region) {
      code
      name
      agencies
    }
  }
`);
const CREATE = graphql(`
  mutation CreateInspection($input: CreateInspectionInput!) {
    createInspection(input: $input) {
      ...InspectionFields
    }
  }
`);

export function Inspections() {
  const { t, locale } = useI18n();
  const [list, reload] = useQuery({ query: LIST });
  return (
    <section aria-labelledby="inspections-heading">
      <h1 id="inspections-heading">{t('nav.inspections')}</h1>
      <CreateInspection
        onCreated={(id) => {
          reload({ requestPolicy: 'network-only' });
          window.location.hash = href('inspection', id);
        }}
      />
      <RegionBanner regions={unavailableRegions(list.error)} />
      {!list.data ? (
        <Loading />
      ) : (
        <table aria-label={t('nav.inspections')}>
          <thead>
            <tr>
              <th scope="col">{t('target')}</th>
              <th scope="col">{t('scenario')}</th>
              <th scope="col">{t('step')}</th>
              <th scope="col">{t('lead')}</th>
              <th scope="col">{t('plannedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.inspections.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <a href={href('inspection', node.id)}>{node.targetName}</a>
                </td>
                <td>{node.scenario?.name}</td>
                <td>{t(`inspectionStep.${node.step}`)}</td>
                <td>
                  {node.leadAgencyName} {node.leadJurisdiction}
                </td>
                <td>{formatTime(node.plannedAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** 智能预警: the lead agency opens an inspection of a target; "enter the door once" refusals link to the open one. */
function CreateInspection({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useI18n();
  const caller = useCaller();
  const region = caller.id.split(':')[0];
  const [scenarios] = useQuery({ query: SCENARIOS, variables: { region } });
  const [, create] = useMutation(CREATE);
  const [errors, setErrors] = useState<ServerError[]>([]);
  const [form, setForm] = useState({
    scenarioCode: '',
    targetName: '',
    creditCode: '',
    address: '',
    targetJurisdiction: caller.jurisdiction,
    leadJurisdiction: caller.jurisdiction,
    plannedAt: '',
    plannedUntil: '',
    participantRegion: '',
    participantJurisdiction: '',
    participantAgency: caller.agency ?? 'PETITION_BUREAU',
  });
  const set = (name: keyof typeof form) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [name]: event.target.value });
  const text = (name: keyof typeof form, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <label>
      {label}
      <input name={name} value={form[name]} onChange={set(name)} {...extra} />
    </label>
  );
  return (
    <details className="card">
      <summary>{t('newInspection')}</summary>
      <form
        className="grid-form"
        aria-label={t('newInspection')}
        onSubmit={async (event) => {
          event.preventDefault();
          setErrors([]);
          const input = {
            region,
            scenarioCode: form.scenarioCode || (scenarios.data?.inspectionScenarios[0]?.code ?? ''),
            leadJurisdiction: form.leadJurisdiction,
            // As typed or held: an officer of no agency, or an agency the API does not know, is refused by the server in its own words.
            leadAgency: caller.agency as AgencyKind,
            target: { name: form.targetName, creditCode: form.creditCode, address: form.address, jurisdiction: form.targetJurisdiction },
            plannedAt: new Date(form.plannedAt).toISOString(),
            plannedUntil: new Date(form.plannedUntil).toISOString(),
            participants: form.participantRegion
              ? [{ region: form.participantRegion, jurisdiction: form.participantJurisdiction, agency: form.participantAgency as AgencyKind }]
              : [],
          };
          const outcome = await create({ input });
          if (outcome.error) return setErrors(serverErrors(outcome.error));
          if (outcome.data) onCreated(outcome.data.createInspection.id);
        }}
      >
        <label>
          {t('scenario')}
          <select name="scenarioCode" value={form.scenarioCode} onChange={set('scenarioCode')}>
            {(scenarios.data?.inspectionScenarios ?? []).map((scenario) => (
              <option key={scenario.code} value={scenario.code}>
                {scenario.name}
              </option>
            ))}
          </select>
        </label>
        {text('targetName', t('targetName'), { required: true })}
        {text('creditCode', t('creditCode'), { required: true, pattern: '[0-9A-HJ-NPQRTUWXY]{18}' })}
        {text('address', t('address'), { required: true })}
        {text('targetJurisdiction', t('targetJurisdiction'), { required: true })}
        {text('leadJurisdiction', t('leadJurisdiction'), { required: true })}
        {text('plannedAt', t('plannedAt'), { required: true, type: 'date' })}
        {text('plannedUntil', t('plannedUntil'), { required: true, type: 'date' })}
        {text('participantRegion', t('participantRegion'))}
        {text('participantJurisdiction', t('participantJurisdiction'))}
        <label>
          {t('participantAgency')}
          <AgencySelect name="participantAgency" value={form.participantAgency} onChange={(agency) => setForm({ ...form, participantAgency: agency })} />
        </label>
        <button type="submit">{t('createInspection')}</button>
        <Refusal
          errors={errors}
          link={(error) =>
            error.extensions.existingInspectionId ? <a href={href('inspection', String(error.extensions.existingInspectionId))}>{t('openExisting')}</a> : null
          }
        />
      </form>
    </details>
  );
}
