import type { RequestContext } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { formatCivilDate } from '../../platform/calendar/index.ts';
import {
  formatNumber,
  numberFrame,
  parseNumberTemplate,
  sequenceKey,
  validateNumber,
  type NumberTemplate,
} from '../../platform/codes/number-template.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Result } from '../../platform/errors.ts';
import type { Transactor, UnitOfWork } from '../../platform/unit-of-work.ts';
import { todayInShanghai } from './calendar-service.ts';
import { saveNumberGenerator, type NumberCommandDeps } from './commands/save-number-generator.ts';
import type { NumberGeneratorRow, NumberRepository } from './number.repository.ts';

/** What a number is made from; which fields are needed depends on the generator's template and scope. */
export interface NumberRequest {
  /** Civil date `YYYY-MM-DD` in Asia/Shanghai; today when omitted. */
  date?: string;
  /** Owning organisation (for `org` and `org+year` scopes). */
  orgId?: string;
  /** Division code for `{region6}` / `{region12}` and the `region+day` scope. */
  region?: string;
  orgCode?: string;
  uscc?: string;
  /** Organ code word or agency prefix, e.g. 鄂政发. */
  prefix?: string;
  classCode?: string;
}

export interface IssuedNumber {
  generatorId: string;
  value: string;
  seq: number;
  sequenceKey: string;
}

const GENERATOR_TTL_MS = 30_000;

/** Gap-free number generators (DOMAIN.md §1.4). */
export interface NumberService {
  /**
   * The next number of a generator, allocated inside the caller's business transaction: it is
   * only taken if that transaction commits, so numbers are gap-free and never reused. Concurrent
   * callers of the same sequence wait for each other's commit. Throws for an unknown generator or
   * a request missing a field the template prints (programming errors, not user input).
   */
  next(tx: Tx, generatorId: string, request: NumberRequest): Promise<IssuedNumber>;
  /**
   * `count` consecutive numbers of one sequence with one counter update (a batch of submissions
   * committed together), in order. Same guarantees as `next`.
   */
  nextMany(tx: Tx, generatorId: string, request: NumberRequest, count: number): Promise<IssuedNumber[]>;
  /**
   * Numbers taken by the commit's own statement (the group commit of submissions, issue 3): each
   * wanted key's number becomes the late text `lateText(key)` of `uow`'s transaction — in rows,
   * audit entries and jobs written at the commit, and in the command's answer. One counter update
   * per sequence, in that statement, so a counter is locked only while it runs; the numbers of a
   * sequence follow the order of `wanted`. Gap-free like `next`. Answers the name of the late-texts
   * part, for parts that write the numbers (UnitOfWork.writeAtCommit). One call per transaction.
   */
  takeAtCommit(uow: UnitOfWork, read: Db | Tx, generatorId: string, wanted: { key: string; request: NumberRequest }[]): Promise<string>;
  /** Whether a value has the shape of the generator's current template. */
  validate(generatorId: string, value: string, tx?: Db | Tx): Promise<boolean>;
  getGenerator(id: string, tx?: Db | Tx): Promise<NumberGeneratorRow | null>;
  listGenerators(): Promise<NumberGeneratorRow[]>;
  /** Creates or changes a generator (permission 'numbering.manage'); audited. */
  saveGenerator(
    ctx: RequestContext,
    input: { id?: unknown; name?: unknown; template?: unknown; scope?: unknown; description?: unknown },
  ): Promise<Result<NumberGeneratorRow, 'forbidden' | 'invalid' | 'conflict'>>;
}

export class NumberServiceImpl implements NumberService {
  /** Parsed templates by source text (a handful). */
  readonly #templates = new Map<string, NumberTemplate>();
  /**
   * Generator definitions as last read, for GENERATOR_TTL_MS: every case, ticket and document
   * number needs one, and they change about never. A change saved in this process applies at
   * once; one saved by another server process within the TTL.
   */
  readonly #generators = new Map<string, { row: NumberGeneratorRow; until: number }>();
  readonly #deps: NumberCommandDeps;

  constructor(
    private readonly repository: NumberRepository,
    private readonly transactor: Transactor,
    permissions: PermissionRegistry,
  ) {
    this.#deps = { numbers: repository, permissions };
  }

  async next(tx: Tx, generatorId: string, request: NumberRequest): Promise<IssuedNumber> {
    const [issued] = await this.nextMany(tx, generatorId, request, 1);
    return issued!;
  }

  async nextMany(tx: Tx, generatorId: string, request: NumberRequest, count: number): Promise<IssuedNumber[]> {
    if (!Number.isInteger(count) || count < 1) throw new Error(`nextMany: count must be a positive integer, got ${count}`);
    // Read in the caller's transaction: never a second connection (the embedded database has one).
    const generator = await this.#generator(generatorId, tx);
    if (!generator) throw new Error(`unknown number generator '${generatorId}'`);
    const template = this.#template(generator.template);
    const date = request.date ?? formatCivilDate(todayInShanghai());
    const key = sequenceKey(template, generator.scope, { ...request, date });
    const last = await this.repository.increment(tx, generatorId, key, count);
    // Throws when the sequence outgrows {seq:N}; the caller's transaction then rolls the increment back.
    return Array.from({ length: count }, (_, i) => {
      const seq = last - count + 1 + i;
      return { generatorId, value: formatNumber(template, { ...request, date, seq }), seq, sequenceKey: key };
    });
  }

  async takeAtCommit(uow: UnitOfWork, read: Db | Tx, generatorId: string, wanted: { key: string; request: NumberRequest }[]): Promise<string> {
    const generator = await this.#generator(generatorId, read);
    if (!generator) throw new Error(`unknown number generator '${generatorId}'`);
    const template = this.#template(generator.template);
    const today = formatCivilDate(todayInShanghai());
    const sequences = new Map<string, { key: string; count: number; before: string; after: string; width: number | null }>();
    const positions = wanted.map((w) => {
      const request = { ...w.request, date: w.request.date ?? today };
      const key = sequenceKey(template, generator.scope, request);
      let s = sequences.get(key);
      if (!s) sequences.set(key, (s = { key, count: 0, ...numberFrame(template, request) }));
      s.count += 1;
      return { key: w.key, sequenceKey: key, position: s.count };
    });
    const list = [...sequences.values()].map(({ key, count, before, after, width }) => ({ key, count, before, after, width }));
    uow.writeAtCommit(this.repository.incrementPart(generatorId, list), { name: 'number_counter' });
    uow.writeAtCommit(this.repository.numbersPart('number_counter', list, positions), { name: 'numbers', lateTexts: true });
    return 'numbers';
  }

  async validate(generatorId: string, value: string, tx?: Db | Tx): Promise<boolean> {
    const generator = await this.repository.getGenerator(generatorId, tx);
    if (!generator) throw new Error(`unknown number generator '${generatorId}'`);
    return validateNumber(this.#template(generator.template), value);
  }

  getGenerator(id: string, tx?: Db | Tx): Promise<NumberGeneratorRow | null> {
    return this.repository.getGenerator(id, tx);
  }

  listGenerators(): Promise<NumberGeneratorRow[]> {
    return this.repository.listGenerators();
  }

  async saveGenerator(ctx: RequestContext, input: { id?: unknown; name?: unknown; template?: unknown; scope?: unknown; description?: unknown }) {
    try {
      return await this.transactor.run(ctx, (uow) => saveNumberGenerator(this.#deps, uow, input));
    } finally {
      this.#generators.clear();
    }
  }

  async #generator(id: string, tx: Db | Tx): Promise<NumberGeneratorRow | null> {
    const hit = this.#generators.get(id);
    if (hit && hit.until > Date.now()) return hit.row;
    // Read in the caller's transaction: never a second connection (the embedded database has one).
    const row = await this.repository.getGenerator(id, tx);
    if (row) this.#generators.set(id, { row, until: Date.now() + GENERATOR_TTL_MS });
    return row;
  }

  #template(source: string): NumberTemplate {
    let template = this.#templates.get(source);
    if (!template) {
      const parsed = parseNumberTemplate(source);
      if (!parsed.ok) throw new Error(`stored number template '${source}' is invalid: ${parsed.message}`);
      template = parsed.template;
      this.#templates.set(source, template);
    }
    return template;
  }
}
