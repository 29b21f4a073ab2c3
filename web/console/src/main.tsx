import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { SignedIn } from './App';
import { I18nProvider } from './i18n';
import { storedToken, storeToken } from './session';
import { SignIn } from './SignIn';
import './styles.css';

function Console() {
  const [token, setToken] = useState(storedToken);
  const [problem, setProblem] = useState<string>();
  const signIn = (next: string | null, why?: string) => {
    storeToken(next);
    setProblem(why);
    setToken(next);
  };
  return token ? <SignedIn token={token} onSignOut={(why) => signIn(null, why)} /> : <SignIn onToken={(next) => signIn(next)} problem={problem} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Console />
    </I18nProvider>
  </StrictMode>,
);
