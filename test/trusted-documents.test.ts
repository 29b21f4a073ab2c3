import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashOfDocumentId, readManifest, sha256, TrustedDocuments } from '../gateway/trusted-documents';
import { repoPath } from '../subgraphs/shared/repo-path';
import { trustedDocumentsCache, trustedDocumentsMode, withDocumentIdAsPersistedQuery } from '../gateway/trusted-documents-plugin';

/** The pieces of trusted documents that are plain functions: manifests, ids, the APQ cache. */

const DOCUMENT = 'query A { __typename }';

describe('a manifest', () => {
  it('is read with every hash checked, as graphql-codegen writes it', () => {
    expect(readManifest(JSON.stringify({ [sha256(DOCUMENT)]: DOCUMENT }), 'app', 'm.json')).toEqual([
      { hash: sha256(DOCUMENT), document: DOCUMENT, app: 'app' },
    ]);
    expect(readManifest(JSON.stringify({ [`sha256:${sha256(DOCUMENT)}`]: DOCUMENT }), 'app', 'm.json')[0].hash).toBe(sha256(DOCUMENT));
  });

  it('is refused whole, naming the problem, when a hash, a document, the JSON or the app name is wrong', () => {
    expect(() => readManifest(JSON.stringify({ [sha256('other')]: DOCUMENT }), 'app', 'm.json')).toThrow(
      `m.json: ${sha256('other')} is not the SHA-256 hash of its document`,
    );
    expect(() => readManifest(JSON.stringify({ da39a3ee5e6b4b0d3255bfef95601890afd80709: DOCUMENT }), 'app', 'm.json')).toThrow(
      /SHA-1 hash.*hashAlgorithm: 'sha256'/,
    );
    expect(() => readManifest(JSON.stringify({ abc: DOCUMENT }), 'app', 'm.json')).toThrow('"abc" is not a SHA-256 hash');
    expect(() => readManifest(JSON.stringify({ [sha256(DOCUMENT)]: 7 }), 'app', 'm.json')).toThrow('is not a GraphQL document');
    expect(() => readManifest('[', 'app', 'm.json')).toThrow('m.json: not JSON');
    expect(() => readManifest('[]', 'app', 'm.json')).toThrow('a manifest is an object');
    expect(() => readManifest('{}', '../app', 'm.json')).toThrow('an app name is');
  });
});

describe('the documents of the folders', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-trusted-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('are read from every <app>.json, and not from a file half written (.json.tmp)', () => {
    writeFileSync(path.join(folder, 'monitor.json'), JSON.stringify({ [sha256(DOCUMENT)]: DOCUMENT }));
    writeFileSync(path.join(folder, 'other.json.tmp'), '{');
    const documents = new TrustedDocuments([folder, path.join(folder, 'missing')]);
    expect(documents.size).toBe(1);
    expect(documents.get(sha256(DOCUMENT))).toEqual({ hash: sha256(DOCUMENT), document: DOCUMENT, app: 'monitor' });
    expect(documents.get(sha256('nothing'))).toBeUndefined();
  });

  it('stop the start when a manifest is bad, and are kept when one goes bad later', () => {
    writeFileSync(path.join(folder, 'monitor.json'), JSON.stringify({ [sha256('other')]: DOCUMENT }));
    expect(() => new TrustedDocuments([folder])).toThrow('monitor.json: ');
    writeFileSync(path.join(folder, 'monitor.json'), JSON.stringify({ [sha256(DOCUMENT)]: DOCUMENT }));
    const documents = new TrustedDocuments([folder]);
    writeFileSync(path.join(folder, 'broken.json'), '{');
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000); // past the rescan interval
    try {
      expect(documents.get(sha256('nothing'))).toBeUndefined();
      expect(documents.get(sha256(DOCUMENT))?.app).toBe('monitor');
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe('a request naming a document', () => {
  const hash = sha256(DOCUMENT);
  it('sends documentId as the APQ extension, in the body or the query string', () => {
    expect(withDocumentIdAsPersistedQuery({ body: { documentId: `sha256:${hash}`, variables: { a: 1 }, extensions: { other: true } }, search: '' })).toEqual({
      body: { variables: { a: 1 }, extensions: { other: true, persistedQuery: { version: 1, sha256Hash: hash } } },
      search: '',
    });
    const get = withDocumentIdAsPersistedQuery({ body: undefined, search: `?documentId=${hash.toUpperCase()}&variables=%7B%7D` });
    const params = new URLSearchParams(get.search);
    expect(params.get('documentId')).toBeNull();
    expect(JSON.parse(params.get('extensions')!)).toEqual({ persistedQuery: { version: 1, sha256Hash: hash } });
    expect(params.get('variables')).toBe('{}');
    expect(hashOfDocumentId(`sha256:${hash.toUpperCase()}`)).toBe(hash);
  });

  it('is left as it is without documentId', () => {
    const request = { body: { query: DOCUMENT }, search: '?x=1' };
    expect(withDocumentIdAsPersistedQuery(request)).toBe(request);
  });
});

describe('the APQ cache', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-trusted-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(path.join(folder, 'app.json'), JSON.stringify({ [sha256(DOCUMENT)]: DOCUMENT }));
  const documents = new TrustedDocuments([folder]);

  it('answers registered documents first, and registers on a miss only when not required', async () => {
    const accepting = trustedDocumentsCache({ documents, mode: 'accept' });
    expect(await accepting.get(`apq:${sha256(DOCUMENT)}`)).toBe(DOCUMENT);
    await accepting.set(`apq:${sha256('query B { __typename }')}`, 'query B { __typename }');
    expect(await accepting.get(`apq:${sha256('query B { __typename }')}`)).toBe('query B { __typename }');

    const requiring = trustedDocumentsCache({ documents, mode: 'require' });
    await requiring.set(`apq:${sha256('query B { __typename }')}`, 'query B { __typename }');
    expect(await requiring.get(`apq:${sha256('query B { __typename }')}`)).toBeUndefined();
    expect(await requiring.get(`apq:${sha256(DOCUMENT)}`)).toBe(DOCUMENT);
  });

  it('is in one of two modes', () => {
    expect(trustedDocumentsMode(undefined)).toBe('accept');
    expect(trustedDocumentsMode('require')).toBe('require');
    expect(() => trustedDocumentsMode('strict')).toThrow('HUB_TRUSTED_DOCUMENTS=strict: it is "require"');
  });
});

describe('a manifest graphql-codegen writes', () => {
  it('is taken as it is (the client preset with persistedDocuments: true, over the published API)', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'yrd-hub-codegen-'));
    try {
      writeFileSync(
        path.join(folder, 'warnings.graphql'),
        'query RecentWarnings($first: Int) { petitionWarnings(first: $first) { edges { node { id region level } } } }',
      );
      writeFileSync(
        path.join(folder, 'codegen.yml'),
        // The preset by its path: this folder has no node_modules of its own to find "client" in.
        `schema: ${JSON.stringify(repoPath('schema', 'api.graphql'))}\ndocuments: warnings.graphql\ngenerates:\n  gql/:\n    preset: ${JSON.stringify(repoPath('node_modules', '@graphql-codegen', 'client-preset'))}\n    presetConfig:\n      persistedDocuments: true\n`,
      );
      // The CLI, as an app runs it (its ES modules do not load under jest's CommonJS).
      execFileSync(process.execPath, [repoPath('node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'), '--config', 'codegen.yml', '--silent'], {
        cwd: folder,
        stdio: 'pipe',
      });
      const manifestFile = path.join(folder, 'gql', 'persisted-documents.json');
      const [document] = readManifest(readFileSync(manifestFile, 'utf8'), 'warnings-monitor', manifestFile);
      expect(document.document).toContain('query RecentWarnings');
      expect(document.hash).toBe(sha256(document.document));
      // The id the generated document carries is the one a request sends as documentId.
      expect(readFileSync(path.join(folder, 'gql', 'graphql.ts'), 'utf8')).toContain(`"hash":"sha256:${document.hash}"`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
