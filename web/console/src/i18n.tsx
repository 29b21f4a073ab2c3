import { createContext, ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { en, zh } from './messages';

type Language = 'zh-CN' | 'en';
const TABLES: Record<Language, Record<string, string>> = { 'zh-CN': zh, en };
const KEY = 'yrd-console-language';

interface I18n {
  language: Language;
  locale: string;
  /** The message for `key` with `{name}` filled in; an unknown key (a new enum value) shows as itself. */
  t(key: string, values?: Record<string, string | number>): string;
  setLanguage(language: Language): void;
}

const I18nContext = createContext<I18n | null>(null);
export const useI18n = () => useContext(I18nContext)!;

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN'));
  useEffect(() => {
    localStorage.setItem(KEY, language);
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const table = TABLES[language];
    return {
      language,
      locale: language,
      setLanguage,
      t: (key, values) => {
        const text = table[key] ?? key;
        return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? '')) : text;
      },
    };
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <button
      type="button"
      className="link"
      lang={language === 'en' ? 'zh-CN' : 'en'}
      onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
      data-testid="language"
    >
      {t('language')}
    </button>
  );
}
