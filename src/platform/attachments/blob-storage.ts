import crypto from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where attachment bytes live, addressed by their SHA-256. An upload is first staged in a
 * local file (hashing and counting as it streams; content detection needs the whole file),
 * then committed under its hash. The local implementation keeps files under
 * `<dataDir>/files/ab/cd/<sha256>`; an S3-compatible implementation would upload on commit
 * and stream from the bucket on open.
 */
export interface StagedBlob {
  /** A local file holding the upload until commit or discard. */
  path: string;
  sha256: string;
  size: number;
}

export interface BlobStorage {
  /** Streams the content to a staging file; rejects with BlobTooLargeError past maxBytes (nothing is left behind). */
  stage(source: Readable | Buffer, maxBytes: number): Promise<StagedBlob>;
  /** Stores the staged content under its hash; same content twice is kept once. */
  commit(staged: StagedBlob): Promise<void>;
  discard(staged: StagedBlob): Promise<void>;
  /** The stored content, or null when it is missing. */
  open(sha256: string): Promise<Readable | null>;
}

export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`content exceeds ${maxBytes} bytes`);
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

export class LocalBlobStorage implements BlobStorage {
  private readonly stagingDir: string;

  /** `root` is `<dataDir>/files`; staging is inside it so commit is an atomic rename. */
  constructor(readonly root: string) {
    this.stagingDir = path.join(root, 'tmp');
  }

  /** The only way a disk path is made: from a validated hash, never from a name. */
  pathFor(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('not a sha256 hex digest');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async stage(source: Readable | Buffer, maxBytes: number): Promise<StagedBlob> {
    await fs.mkdir(this.stagingDir, { recursive: true, mode: 0o750 });
    const file = path.join(this.stagingDir, `${crypto.randomUUID()}.part`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) {
          callback(new BlobTooLargeError(maxBytes));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    try {
      await pipeline(input, meter, createWriteStream(file, { flags: 'wx', mode: 0o640, flush: true }));
    } catch (error) {
      await fs.rm(file, { force: true });
      throw error;
    }
    return { path: file, sha256: hash.digest('hex'), size };
  }

  async commit(staged: StagedBlob): Promise<void> {
    const target = this.pathFor(staged.sha256);
    if (await exists(target)) {
      await fs.rm(staged.path, { force: true });
      return;
    }
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o750 });
    // Two uploads of the same content may race here: both renames put identical bytes in place.
    await fs.rename(staged.path, target);
  }

  async discard(staged: StagedBlob): Promise<void> {
    await fs.rm(staged.path, { force: true });
  }

  async open(sha256: string): Promise<Readable | null> {
    const target = this.pathFor(sha256);
    if (!(await exists(target))) return null;
    return createReadStream(target);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
