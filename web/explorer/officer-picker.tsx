import { useGraphiQL } from '@graphiql/react';
import { useState } from 'react';
import { DemoOfficers, demoToken } from './demo-sign-in';
import { requestHeaders } from './request-headers';

/**
 * Demo mode: choose the officer who asks. The hub issues the chosen officer's token and the
 * header editor's Authorization is replaced with it (X-Purpose is kept as the user left it).
 */
export function OfficerPicker({ demo, initial }: { demo: DemoOfficers; initial: string }) {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const [login, setLogin] = useState(initial);
  const [problem, setProblem] = useState<string>();

  const choose = async (next: string) => {
    setLogin(next);
    setProblem(undefined);
    try {
      const token = await demoToken(next);
      let headers: Record<string, unknown>;
      try {
        headers = JSON.parse(headerEditor?.getValue() || '{}') as Record<string, unknown>;
      } catch {
        headers = JSON.parse(requestHeaders(undefined)) as Record<string, unknown>;
      }
      headerEditor?.setValue(JSON.stringify({ ...headers, Authorization: `Bearer ${token}` }, null, 2));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <label className="yrd-officer-picker" title={problem ?? 'Demo mode: the hub signs in the officer chosen here'}>
      Officer{' '}
      <select aria-label="Demo officer" value={login} onChange={(event) => void choose(event.target.value)}>
        {demo.officers.map((officer) => (
          <option key={officer.login} value={officer.login}>
            {officer.login} ({officer.id}, {officer.roles.join(', ')})
          </option>
        ))}
      </select>
      {problem ? <span role="alert"> {problem}</span> : null}
    </label>
  );
}
