import { graphql } from './hub';

/**
 * What the forwarding e2e tests (转送/交办 between Jiaxing and Suzhou) do besides registering and
 * stepping (./petition-mutations.ts): read a petition with the file's own selection, wait for
 * what the outbox delivers after commit, and forward a Jiaxing petition to a Suzhou agency.
 */

type Headers = Record<string, string>;
type Step = (mutation: string, id: string, args?: string, headers?: Headers) => Promise<{ errors?: unknown[] }>;

/** Each warning as [kind, raisedIn, subject]: what the rules raised, where, and about whom. */
export const warningKinds = (petition: { warnings: Array<{ kind: string; raisedIn: string; subject: { id: string } }> }) =>
  petition.warnings.map((w) => [w.kind, w.raisedIn, w.subject.id]);

/** `petitionQuery` reads one petition (`$id`); `forwardedBy` forwards, through `step`. `graphqlUrl` is asked at each call. */
export function forwardingSteps(graphqlUrl: () => string, petitionQuery: string, step: Step, forwardedBy: Headers) {
  const read = async (id: string, headers: Headers) => {
    const result = await graphql(graphqlUrl(), petitionQuery, { id }, headers);
    expect(result.errors).toBeUndefined();
    return result.data.petition;
  };

  /** Waits until `check` holds of the petition as `headers` read it (deliveries run after commit, and on the relay's next pass). */
  async function eventually(id: string, headers: Headers, check: (petition: any) => boolean) {
    const deadline = Date.now() + 20_000;
    let petition = await read(id, headers);
    while (!check(petition) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      petition = await read(id, headers);
    }
    return petition;
  }

  /** Forwards a Jiaxing petition to Suzhou's human resources agency of `jurisdiction`; Suzhou's record, once delivered. */
  const forward = async (id: string, jurisdiction = '320509') => {
    const forwarded = await step('assignPetition', id, `, agency: HUMAN_RESOURCES, jurisdiction: "${jurisdiction}", note: "转送"`, forwardedBy);
    expect(forwarded.errors).toBeUndefined();
    return (await eventually(id, forwardedBy, (p) => p.forwarding?.petitionId)).forwarding.petitionId as string;
  };

  return { read, eventually, forward };
}
