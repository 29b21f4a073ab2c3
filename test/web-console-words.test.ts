import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { repoPath } from '../subgraphs/shared/repo-path';
import { auditActionWords, auditFieldsWords, purposeWords } from '../web/console/src/audit-words';
import { en, zh } from '../web/console/src/messages';
import { petitionEventKey } from '../web/console/src/petition-steps';

/**
 * The console shows the API's codes in words, in Chinese and English: every value of each enum
 * it shows has a message under the prefix it shows it by (an unknown key would show as itself,
 * raw), and an audit row's action reads as the console names the step.
 */

/** The message prefixes the console labels enum values by (`t(\`role.${role}\`)`), and the enums shown by each. */
const SHOWN_BY: Record<string, string[]> = {
  role: ['OfficerRole'],
  agency: ['AgencyKind'],
  level: ['WarningLevel'],
  kind: ['WarningKind'],
  status: ['WarningStatus'],
  action: ['WarningAction'],
  petitionStatus: ['PetitionStatus'],
  channel: ['PetitionChannel'],
  deadline: ['DeadlineKind'],
  gender: ['Gender'],
  access: ['PersonalDataAccess'],
  inspectionStep: ['InspectionStep'],
  taskStatus: ['ParticipantTaskStatus', 'InspectionTaskStatus'],
  severity: ['FindingSeverity'],
  tag: ['KeyPersonCategory'],
};

const enums = new Map(
  parse(readFileSync(repoPath('schema', 'api.graphql'), 'utf8'))
    .definitions.filter((definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION)
    .map((definition) => [definition.name.value, (definition.values ?? []).map((value) => value.name.value)]),
);

/** As i18n.tsx's `t`: the message, `{name}` filled in, an unknown key as itself. */
const translate =
  (table: Record<string, string>) =>
  (key: string, values?: Record<string, string | number>): string =>
    (table[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? ''));

test('every value of each enum the console shows has words in Chinese and in English', () => {
  const missing = Object.entries(SHOWN_BY).flatMap(([prefix, names]) =>
    names.flatMap((name) => {
      const values = enums.get(name);
      if (!values) return [`enum ${name} is not in schema/api.graphql`];
      return values.map((value) => `${prefix}.${value}`).filter((key) => !Object.hasOwn(zh, key) || !Object.hasOwn(en, key));
    }),
  );
  expect(missing).toEqual([]);
});

test("an audit row's action reads as the console names the step, and a change it does not know as a change by its name", () => {
  const words = (action: string) => [auditActionWords(action, translate(zh)), auditActionWords(action, translate(en))];
  expect(words('READ')).toEqual(['查阅', 'Read']);
  expect(words('CHANGE:acceptPetition')).toEqual([zh['step.accept'], en['step.accept']]);
  expect(words('CHANGE:extendPetitionDeadline')).toEqual([zh['step.extend'], en['step.extend']]);
  expect(words('CHANGE:tagPerson')).toEqual(['标记重点人员', 'Tag as key person']);
  expect(words('CHANGE:raisePetitionWarning')).toEqual(['变更 raisePetitionWarning', 'Change raisePetitionWarning']);
  // Not a mutation of the console's: an inherited property's name is no step.
  expect(words('CHANGE:toString')).toEqual(['变更 toString', 'Change toString']);
});

test("a read names the fields shown in full by the dossier's labels; a change's fields are its mutation, already named", () => {
  expect(auditFieldsWords('READ', ['idNumber', 'name'], translate(zh))).toBe('身份证号、姓名');
  expect(auditFieldsWords('READ', ['idNumber', 'name'], translate(en))).toBe('ID number, Name');
  expect(auditFieldsWords('CHANGE:tagPerson', ['tagPerson'], translate(zh))).toBe('—');
  expect(purposeWords('petition-handling', translate(zh))).toBe('信访办理');
  expect(purposeWords('flood-relief', translate(zh))).toBe('flood-relief');
});

test("a petition's history names each action by the step's label, the registration and a forward's by theirs", () => {
  expect(petitionEventKey('accept')).toBe('step.accept');
  expect(petitionEventKey('register')).toBe('registered');
  expect(petitionEventKey('receive')).toBe('history.receive');
  expect(petitionEventKey('report')).toBe('history.report');
  expect(petitionEventKey('constructor')).toBeUndefined();
});
