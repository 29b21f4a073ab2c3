import { zh } from './messages';
import { stepOfMutation } from './petition-steps';

/** The console's `t` (i18n.tsx): a message by key, with `{name}` filled in. */
type Translate = (key: string, values?: Record<string, string | number>) => string;

const known = (key: string) => Object.hasOwn(zh, key);

/**
 * An audit row's action (`READ`, `CHANGE:<mutation>`) in words: a read in full as such; a change
 * by the console's name for it (a petition's step by its own label, a change of the person's
 * record by `change.<mutation>`), else as a change with the mutation's name.
 */
export function auditActionWords(action: string, t: Translate): string {
  if (action === 'READ') return t('audit.read');
  const mutation = /^CHANGE:(.+)$/.exec(action)?.[1];
  if (!mutation) return action;
  if (known(`change.${mutation}`)) return t(`change.${mutation}`);
  const step = stepOfMutation(mutation);
  return step ? t(`step.${step}`) : t('audit.change', { mutation });
}

/**
 * What a row touched: a read names the person's fields it showed in full, by the dossier's own
 * labels for them; a change names only its mutation, which the action already says.
 */
export function auditFieldsWords(action: string, fields: readonly string[], t: Translate): string {
  if (action !== 'READ') return '—';
  return fields.map((field) => (known(field) ? t(field) : field)).join(t('list.separator'));
}

/** A purpose of use as typed (`petition-handling`), in words where the console offers it. */
export const purposeWords = (purpose: string, t: Translate): string => (known(`purpose.${purpose}`) ? t(`purpose.${purpose}`) : purpose);
