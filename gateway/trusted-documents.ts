import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logger } from '../platform/logger';

/**
 * Trusted documents: the operations apps registered, by SHA-256 hash of their text, from
 * manifests in the format graphql-codegen's client preset writes with `persistedDocuments: true`
 * (`persisted-documents.json`: `{ "<sha256 hex>": "<document>" }`). One manifest per app, named
 * `<app>.json`, in the hub's `<data folder>/trusted-documents/` (`yrd-hub documents add`) and in
 * `HUB_TRUSTED_DOCUMENTS_DIR`. A manifest with a hash that is not its document's is refused whole.
 */

export interface TrustedDocument {
  hash: string;
  document: string;
  app: string;
}

/** A problem with trusted documents' input the user fixes from the message alone (printed without a stack). */
export class ManifestError extends Error {
  override name = 'UsageError';
}

const HASH = /^[0-9a-f]{64}$/;
const APP = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A document id as a request sends it: `sha256:<hex>` (GraphQL over HTTP) or the bare hash (APQ), as a hash. */
export function hashOfDocumentId(id: string): string {
  return (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id).toLowerCase();
}

/** The documents of one manifest, each hash checked against its document. */
export function readManifest(text: string, app: string, source: string): TrustedDocument[] {
  if (!APP.test(app)) throw new ManifestError(`--app ${JSON.stringify(app)}: an app name is letters, digits, ".", "_" or "-" (at most 64)`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${source}: not JSON (${(error as Error).message})`);
  }
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new ManifestError(`${source}: a manifest is an object of "<sha256 hash>": "<document>" (graphql-codegen's persisted-documents.json)`);
  }
  return Object.entries(manifest as Record<string, unknown>).map(([key, document]) => {
    const hash = hashOfDocumentId(key);
    if (/^[0-9a-f]{40}$/.test(hash))
      throw new ManifestError(
        `${source}: ${key} is a SHA-1 hash; the hub takes SHA-256: generate with persistedDocuments: { hashAlgorithm: 'sha256' } (graphql-codegen's client preset)`,
      );
    if (!HASH.test(hash)) throw new ManifestError(`${source}: ${JSON.stringify(key)} is not a SHA-256 hash (64 hexadecimal digits)`);
    if (typeof document !== 'string' || !document.trim()) throw new ManifestError(`${source}: the document of ${key} is not a GraphQL document (a string)`);
    if (sha256(document) !== hash)
      throw new ManifestError(`${source}: ${key} is not the SHA-256 hash of its document (it is ${sha256(document)}); regenerate the manifest`);
    return { hash, document, app };
  });
}

function manifestFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(folder, name));
}

/** How often the folders are looked at again, at most, when a request names an unknown hash. */
const RESCAN_MS = 2000;

/** The trusted documents of the folders, read at start and again when their manifests change. */
export class TrustedDocuments {
  private documents = new Map<string, TrustedDocument>();
  private signature = '';
  private scannedAt = 0;

  constructor(private readonly folders: readonly string[]) {
    this.scan();
  }

  get size(): number {
    return this.documents.size;
  }

  /**
   * The registered document with this hash; a miss looks at the folders again (at most every 2
   * seconds). A manifest that has gone bad since the start is reported and the documents read
   * before are kept (at the start, it stops the hub).
   */
  get(hash: string): TrustedDocument | undefined {
    const found = this.documents.get(hash);
    if (found || Date.now() - this.scannedAt < RESCAN_MS) return found;
    try {
      this.scan();
    } catch (error) {
      logger.warn(`[gateway] trusted documents not reread: ${(error as Error).message}`);
    }
    return this.documents.get(hash);
  }

  private scan(): void {
    this.scannedAt = Date.now();
    const files = this.folders.flatMap(manifestFiles);
    const signature = files.map((file) => `${file}:${statSync(file).mtimeMs}`).join('|');
    if (signature === this.signature) return;
    const documents = new Map<string, TrustedDocument>();
    for (const file of files) {
      for (const document of readManifest(readFileSync(file, 'utf8'), path.basename(file, '.json'), file)) documents.set(document.hash, document);
    }
    this.documents = documents;
    this.signature = signature;
  }
}

/** `<data folder>/trusted-documents`: where `yrd-hub documents add` keeps the apps' manifests. */
export const trustedDocumentsFolder = (dataDir: string) => path.join(dataDir, 'trusted-documents');

/**
 * Registers a manifest for an app (`yrd-hub documents add FILE --app NAME`): checked, then merged
 * into `<folder>/<app>.json` (an app's earlier documents stay; a release adds its new ones).
 * Returns how many documents the app has and how many were new.
 */
export function addManifest(folder: string, file: string, app: string): { total: number; added: number } {
  if (!existsSync(file)) throw new ManifestError(`${file}: no such file`);
  const incoming = readManifest(readFileSync(file, 'utf8'), app, file);
  const target = path.join(folder, `${app}.json`);
  const existing = existsSync(target) ? readManifest(readFileSync(target, 'utf8'), app, target) : [];
  const merged = new Map(existing.map((document) => [document.hash, document.document]));
  let added = 0;
  for (const document of incoming) {
    if (!merged.has(document.hash)) added++;
    merged.set(document.hash, document.document);
  }
  mkdirSync(folder, { recursive: true });
  // Written beside and renamed: a hub reading the folder never sees half a manifest.
  writeFileSync(`${target}.tmp`, `${JSON.stringify(Object.fromEntries(merged), null, 2)}\n`);
  renameSync(`${target}.tmp`, target);
  return { total: merged.size, added };
}
