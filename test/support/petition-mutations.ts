import { graphql } from './hub';

/**
 * Registering petitions and taking them through the steps of their lifecycle through the gateway,
 * as the petition e2e tests do: each file says once who acts when a call names nobody, what a
 * petition holds where the call says nothing, and which fields come back.
 */

type Headers = Record<string, string>;

/** A wage claim made in person at a Jiaxing county office about a Jiaxing resident: the petition unless a file says otherwise. */
export const WAGE_CLAIM: Readonly<Record<string, unknown>> = {
  region: '330400',
  channel: 'VISIT',
  category: '劳资纠纷欠薪',
  summary: '欠薪',
  content: '某公司拖欠工资三个月',
  registeredIn: '330421',
  petitionerIds: ['330400:5'],
};

export interface PetitionMutationSettings {
  /** Who registers and steps when a call names nobody. */
  officer: Headers;
  /** The purpose stated (X-Purpose) on every registration, whoever registers; none unless given. */
  purpose?: string;
  /** What a registration holds where the call says nothing (WAGE_CLAIM unless given). */
  petition?: Readonly<Record<string, unknown>>;
  /** The fields registerPetition answers with (id unless given). */
  registeredFields?: string;
  /** The fields each step answers with, under `r` (status and version unless given). */
  steppedFields?: string;
}

/** `graphqlUrl` is asked at each call: the hub a file starts in beforeAll is not there when the file is read. */
export function petitionMutations(graphqlUrl: () => string, settings: PetitionMutationSettings) {
  const { officer, purpose, petition = WAGE_CLAIM, registeredFields = 'id', steppedFields = 'status version' } = settings;
  const registration = `mutation($input: RegisterPetitionInput!) { registerPetition(input: $input) { ${registeredFields} } }`;

  /** registerPetition of the petition with `input` laid over the defaults: the answer as it came, errors included. */
  const register = (input: Record<string, unknown> = {}, headers: Headers = officer) =>
    graphql(graphqlUrl(), registration, { input: { ...petition, ...input } }, purpose ? { ...headers, 'X-Purpose': purpose } : headers);

  return {
    register,
    /** The same, which must succeed: the registered petition. */
    async registered(input: Record<string, unknown> = {}, headers?: Headers) {
      const result = await register(input, headers);
      expect(result.errors).toBeUndefined();
      return result.data.registerPetition;
    },
    /** The lifecycle step `mutation` (acceptPetition, assignPetition…) of petition `id`, with `args` after the id (`, note: "…"`). */
    step: (mutation: string, id: string, args = '', headers: Headers = officer) =>
      graphql(graphqlUrl(), `mutation($id: ID!) { r: ${mutation}(id: $id${args}) { ${steppedFields} } }`, { id }, headers),
  };
}
