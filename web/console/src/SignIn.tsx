import { useEffect, useState } from 'react';
import { LanguageSwitch, useI18n } from './i18n';

interface DemoOfficer {
  login: string;
  id: string;
  agency: string;
  jurisdiction: string;
  roles: string[];
}

/**
 * Signing in: paste a bearer token from the province's identity provider; when the hub runs its
 * demo providers (GET /demo/officers answers), pick a demo officer and the hub issues the token.
 */
export function SignIn({ onToken, problem }: { onToken: (token: string) => void; problem?: string }) {
  const { t } = useI18n();
  const [pasted, setPasted] = useState('');
  const [officers, setOfficers] = useState<DemoOfficer[] | null>(null);
  const [login, setLogin] = useState('');
  const [error, setError] = useState<string | undefined>(problem);

  useEffect(() => {
    fetch('/demo/officers')
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => {
        if (!body) return;
        setOfficers(body.officers);
        setLogin(body.default ?? body.officers[0]?.login ?? '');
      })
      .catch(() => undefined);
  }, []);

  const pick = async () => {
    setError(undefined);
    const response = await fetch('/demo/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login }) });
    const body = await response.json();
    if (!response.ok) return setError(body.errors?.[0]?.message ?? String(response.status));
    onToken(body.token);
  };

  const regions = [...new Set((officers ?? []).map((officer) => officer.id.split(':')[0]))];
  return (
    <main className="sign-in">
      <h1>{t('appTitle')}</h1>
      <LanguageSwitch />
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {officers && (
        <section aria-labelledby="demo-heading" className="card">
          <h2 id="demo-heading">{t('demoSignIn')}</h2>
          <p className="hint">{t('demoHint')}</p>
          <label>
            {t('demoOfficer')}
            <select value={login} onChange={(event) => setLogin(event.target.value)} data-testid="demo-officer">
              {regions.map((region) => (
                <optgroup key={region} label={region}>
                  {officers
                    .filter((officer) => officer.id.startsWith(`${region}:`))
                    .map((officer) => (
                      <option key={officer.login} value={officer.login}>
                        {officer.login} · {t(`agency.${officer.agency}`)} · {officer.jurisdiction} · {officer.roles.map((role) => t(`role.${role}`)).join('/')}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
          <button type="button" onClick={pick} disabled={!login}>
            {t('signIn')}
          </button>
        </section>
      )}
      <section aria-labelledby="token-heading" className="card">
        <h2 id="token-heading">{t('tokenSignIn')}</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const token = pasted.trim().replace(/^Bearer\s+/i, '');
            if (token) onToken(token);
          }}
        >
          <label>
            {t('bearerToken')}
            <textarea value={pasted} onChange={(event) => setPasted(event.target.value)} rows={4} spellCheck={false} data-testid="token-input" />
          </label>
          <button type="submit" disabled={!pasted.trim()}>
            {t('signIn')}
          </button>
        </form>
      </section>
    </main>
  );
}
