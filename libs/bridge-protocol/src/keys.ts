import { randomBytes } from 'node:crypto';
import { KEY_ID_PATTERN, MIN_SECRET_LENGTH } from './protocol';

/**
 * The shared secrets, by key id. Secrets sit in a private field, so they do not show in
 * `JSON.stringify`, `console.log` or `util.inspect` of the ring. The HMAC key is the UTF-8 bytes
 * of the configured string as written (a base64url secret is NOT decoded first).
 */
export class KeyRing {
  readonly #secrets: ReadonlyMap<string, Buffer>;

  constructor(entries: Iterable<readonly [string, Buffer | string]>) {
    const secrets = new Map<string, Buffer>();
    let position = 0;
    for (const [id, secret] of entries) {
      position += 1;
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`key ${position}: malformed key id`);
      if (secrets.has(id)) throw new Error(`key ${position}: duplicate key id "${id}"`);
      const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
      if (bytes.length < MIN_SECRET_LENGTH) {
        throw new Error(`key "${id}": secret is shorter than ${MIN_SECRET_LENGTH} characters`);
      }
      secrets.set(id, bytes);
    }
    if (secrets.size === 0) throw new Error('key ring is empty');
    this.#secrets = secrets;
  }

  get size(): number {
    return this.#secrets.size;
  }

  has(id: string): boolean {
    return this.#secrets.has(id);
  }

  get(id: string): Buffer | undefined {
    return this.#secrets.get(id);
  }

  /** Key ids, in configuration order. */
  ids(): string[] {
    return [...this.#secrets.keys()];
  }

  /** The first configured key: the one a signer uses. */
  primary(): { id: string; secret: Buffer } {
    const [id, secret] = this.#secrets.entries().next().value as [string, Buffer];
    return { id, secret };
  }

  toJSON(): { ids: string[] } {
    return { ids: this.ids() };
  }
}

/**
 * Parses `BRIDGE_KEYS=id1:secret1,id2:secret2`. Whitespace around entries, ids and secrets is
 * trimmed. Errors name the position (and the id once it is known to be well-formed), never the
 * secret.
 */
export function parseKeyRing(spec: string): KeyRing {
  if (spec.trim() === '') throw new Error('BRIDGE_KEYS is empty');
  const entries = spec.split(',').map((raw, index): [string, string] => {
    const position = index + 1;
    const entry = raw.trim();
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`BRIDGE_KEYS entry ${position}: expected "id:secret"`);
    const id = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new Error(
        `BRIDGE_KEYS entry ${position}: malformed key id (want [A-Za-z0-9_.-]{1,64})`,
      );
    }
    if (/\s/.test(secret)) {
      throw new Error(`BRIDGE_KEYS entry ${position} ("${id}"): secret contains whitespace`);
    }
    return [id, secret];
  });
  try {
    return new KeyRing(entries);
  } catch (error) {
    // KeyRing's messages carry ids and positions only; prefix them with the variable name.
    throw new Error(`BRIDGE_KEYS: ${(error as Error).message}`, { cause: error });
  }
}

/** A fresh key: `{ id: '<prefix>-YYYYMMDD-<6 hex>', secret: 32 random bytes, base64url }`. */
export function generateKey(
  idPrefix = 'key',
  clock: () => number = Date.now,
): { id: string; secret: string } {
  const date = new Date(clock()).toISOString().slice(0, 10).replaceAll('-', '');
  const id = `${idPrefix}-${date}-${randomBytes(3).toString('hex')}`;
  if (!KEY_ID_PATTERN.test(id)) throw new Error('generateKey: malformed id prefix');
  return { id, secret: randomBytes(32).toString('base64url') };
}
