import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { LEGACY_PERSON_ACTIONS } from '../subgraphs/personnel/legacy-person-audit';
import { repoPath } from '../subgraphs/shared/repo-path';

/**
 * The old rows a person's trail takes are told by their action alone, so each CHANGE it names
 * must be a personnel mutation that changes a person: a misspelt one would drop that person's
 * old rows from the trail unseen, an officer's would add the officer's.
 */
test('each legacy CHANGE is a mutation of the personnel subgraph about a person, not an officer', () => {
  const schema = buildASTSchema(parse(readFileSync(repoPath('subgraphs', 'personnel', 'schema.graphql'), 'utf8')), { assumeValidSDL: true });
  const mutations = schema.getMutationType()!.getFields();
  const changes = LEGACY_PERSON_ACTIONS.filter((action) => action.startsWith('CHANGE:')).map((action) => action.slice('CHANGE:'.length));
  expect(changes.filter((mutation) => !mutations[mutation])).toEqual([]);
  const aboutOfficers = Object.values(mutations)
    .filter((field) => String(field.type).replace(/!$/, '') === 'Officer')
    .map((field) => field.name);
  expect(aboutOfficers.length).toBeGreaterThan(0);
  expect(changes.filter((mutation) => aboutOfficers.includes(mutation))).toEqual([]);
});
