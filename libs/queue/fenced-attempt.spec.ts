import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '../tenancy/testing/scratch-database';
import { AttemptSupersededError, FenceTarget, FencedAttempt } from './fenced-attempt';

/** FencedAttempt against real PostgreSQL: tokens, refused commits, and cancellation of a statement waiting on a lock. */
const FENCE: FenceTarget = { table: 'jobs', tokenColumn: 'attempt', ownedWhile: "status = 'working'" };

let database: ScratchDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createScratchDatabase('fence_spec');
  dataSource = new DataSource({ type: 'postgres', url: database.url, extra: { max: 4 } });
  await dataSource.initialize();
  await dataSource.query(
    `CREATE TABLE jobs (id uuid PRIMARY KEY, status text NOT NULL, attempt integer NOT NULL DEFAULT 0, notes text[] NOT NULL DEFAULT '{}')`,
  );
  await dataSource.query('CREATE TABLE gate (id integer)');
  await dataSource.query(`CREATE TABLE job_owners (job_id uuid PRIMARY KEY REFERENCES jobs (id), owner text NOT NULL)`);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

async function newJob(status = 'working'): Promise<string> {
  const id = randomUUID();
  await dataSource.query('INSERT INTO jobs (id, status) VALUES ($1, $2)', [id, status]);
  return id;
}

const note = (id: string, text: string) => (manager: { query(sql: string, values: unknown[]): Promise<unknown> }) =>
  manager.query('UPDATE jobs SET notes = notes || $2::text WHERE id = $1', [id, text]);
const notes = async (id: string): Promise<string[]> => (await dataSource.query('SELECT notes FROM jobs WHERE id = $1', [id]))[0].notes;
const live = () => new AbortController().signal;

describe('FencedAttempt', () => {
  it('gives each claim the next token, and no attempt to a row that is not being worked on', async () => {
    const id = await newJob();
    const first = await FencedAttempt.claim(dataSource, FENCE, id, live());
    const second = await FencedAttempt.claim(dataSource, FENCE, id, live());

    expect([first?.token, second?.token]).toEqual([1, 2]);
    expect(await FencedAttempt.claim(dataSource, FENCE, await newJob('done'), live())).toBeNull();
  });

  it('claims and reads the row with what it joins in one statement, and claims nothing its condition excludes', async () => {
    const id = await newJob();
    await dataSource.query(`INSERT INTO job_owners (job_id, owner) VALUES ($1, 'ada')`, [id]);
    const read = { select: 'claimed.status, o.owner', join: 'JOIN job_owners o ON o.job_id = claimed.id' };

    const claimed = await FencedAttempt.claimReading<{ status: string; owner: string }>(dataSource, FENCE, id, live(), read);
    expect(claimed?.attempt.token).toBe(1);
    expect(claimed?.row).toEqual({ status: 'working', owner: 'ada' });

    expect(await FencedAttempt.claimReading(dataSource, FENCE, id, live(), { ...read, where: "status <> 'working'" })).toBeNull();
    expect((await FencedAttempt.claim(dataSource, FENCE, id, live()))?.token).toBe(2);
  });

  it('cancels a claim waiting on a lock when the attempt aborts, and claims nothing', async () => {
    const id = await newJob();
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE', [id]);
    try {
      const controller = new AbortController();
      const claiming = FencedAttempt.claim(dataSource, FENCE, id, controller.signal);
      await waitForLockWaiters(1);
      const reason = new Error('time is up');
      controller.abort(reason);

      await expect(claiming).rejects.toBe(reason);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect((await FencedAttempt.claim(dataSource, FENCE, id, live()))?.token).toBe(1);
  });

  it("refuses a superseded attempt's transaction and rolls back what it wrote", async () => {
    const id = await newJob();
    const old = (await FencedAttempt.claim(dataSource, FENCE, id, live()))!;
    await old.transaction(note(id, 'old before'));
    const current = (await FencedAttempt.claim(dataSource, FENCE, id, live()))!;

    await expect(old.transaction(note(id, 'old after'))).rejects.toBeInstanceOf(AttemptSupersededError);
    await current.transaction(note(id, 'current'));
    expect(await notes(id)).toEqual(['old before', 'current']);
  });

  it('lets a commit in flight finish before a newer claim, which then wins', async () => {
    const id = await newJob();
    const old = (await FencedAttempt.claim(dataSource, FENCE, id, live()))!;
    let claimed: Promise<FencedAttempt | null> | undefined;
    await old.transaction(async (manager) => {
      await note(id, 'old')(manager);
      // The row is locked by this transaction: the newer claim must wait for it.
      claimed = FencedAttempt.claim(dataSource, FENCE, id, live());
      await waitForLockWaiters(1);
    });
    const current = (await claimed)!;

    expect(current.token).toBe(2);
    await expect(old.transaction(note(id, 'late'))).rejects.toBeInstanceOf(AttemptSupersededError);
    expect(await notes(id)).toEqual(['old']);
  });

  it('cancels a statement waiting on a lock when the attempt aborts, and releases the row at once', async () => {
    const id = await newJob();
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE gate IN ACCESS EXCLUSIVE MODE');
    try {
      const controller = new AbortController();
      const attempt = (await FencedAttempt.claim(dataSource, FENCE, id, controller.signal))!;
      const stuck = attempt.transaction(async (manager) => {
        await note(id, 'stuck')(manager);
        await manager.query('SELECT * FROM gate');
      });
      await waitForLockWaiters(1);
      const reason = new Error('time is up');
      const aborted = Date.now();
      controller.abort(reason);

      await expect(stuck).rejects.toBe(reason);
      expect(Date.now() - aborted).toBeLessThan(2_000);
      const next = await FencedAttempt.claim(dataSource, FENCE, id, live());
      expect(next?.token).toBe(2);
      expect(await notes(id)).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });

  it('starts no transaction for an aborted attempt unless asked to record how it ended, which stays fenced', async () => {
    const id = await newJob();
    const controller = new AbortController();
    const attempt = (await FencedAttempt.claim(dataSource, FENCE, id, controller.signal))!;
    controller.abort(new Error('time is up'));

    await expect(attempt.transaction(note(id, 'work'))).rejects.toThrow('time is up');
    await attempt.transaction(note(id, 'timed out'), { cancellable: false });
    await FencedAttempt.claim(dataSource, FENCE, id, live());
    await expect(attempt.transaction(note(id, 'again'), { cancellable: false })).rejects.toBeInstanceOf(AttemptSupersededError);
    expect(await notes(id)).toEqual(['timed out']);
  });

  it('writes in one statement only while the attempt owns the row, and refuses a superseded one without writing', async () => {
    const id = await newJob();
    const noteOwned = [`noted AS (UPDATE jobs SET notes = notes || $3::text WHERE id IN (SELECT id FROM owned))`];
    const old = (await FencedAttempt.claim(dataSource, FENCE, id, live()))!;
    await old.write(noteOwned, ['old']);
    const current = (await FencedAttempt.claim(dataSource, FENCE, id, live()))!;

    await expect(old.write(noteOwned, ['old again'])).rejects.toBeInstanceOf(AttemptSupersededError);
    await current.write(noteOwned, ['current']);
    expect(await notes(id)).toEqual(['old', 'current']);
  });

  it('makes a one-statement write wait for a newer claim in flight, then refuses it', async () => {
    const id = await newJob();
    const old = (await FencedAttempt.claim(dataSource, FENCE, id, live()))!;
    const claimer = new Client({ connectionString: database.url });
    await claimer.connect();
    try {
      await claimer.query('BEGIN');
      await claimer.query('UPDATE jobs SET attempt = attempt + 1 WHERE id = $1', [id]);
      const late = old.write([`noted AS (UPDATE jobs SET notes = notes || 'late'::text WHERE id IN (SELECT id FROM owned))`], []);
      await waitForLockWaiters(1);
      await claimer.query('COMMIT');
      await expect(late).rejects.toBeInstanceOf(AttemptSupersededError);
    } finally {
      await claimer.end();
    }
    expect(await notes(id)).toEqual([]);
  });

  it('writes for many attempts in one statement, each with its own values, and only for those still owning their rows', async () => {
    const [kept, lost] = [await newJob(), await newJob()];
    const keptAttempt = (await FencedAttempt.claim(dataSource, FENCE, kept, live()))!;
    const lostAttempt = (await FencedAttempt.claim(dataSource, FENCE, lost, live()))!;
    await FencedAttempt.claim(dataSource, FENCE, lost, live());

    const owning = await FencedAttempt.writeEach(
      dataSource,
      FENCE,
      [
        { attempt: keptAttempt, values: ['kept note'] },
        { attempt: lostAttempt, values: ['lost note'] },
      ],
      [{ name: 'note', type: 'text' }],
      ['noted AS (UPDATE jobs SET notes = jobs.notes || owned.note FROM owned WHERE jobs.id = owned.id)'],
    );

    expect(owning).toEqual([keptAttempt]);
    expect([await notes(kept), await notes(lost)]).toEqual([['kept note'], []]);
  });

  it('supersedes every attempt when the job is ended, and only while it is being worked on', async () => {
    const id = await newJob();
    const attempt = (await FencedAttempt.claim(dataSource, FENCE, id, live()))!;
    const end = () => dataSource.transaction((manager) => FencedAttempt.end(manager, FENCE, id, { status: 'failed' }));

    expect(await end()).toBe(true);
    await expect(attempt.transaction(note(id, 'late'))).rejects.toBeInstanceOf(AttemptSupersededError);
    expect(await dataSource.query('SELECT status, attempt FROM jobs WHERE id = $1', [id])).toEqual([{ status: 'failed', attempt: 2 }]);
    expect(await end()).toBe(false);
  });
});

/** Until `count` sessions of the scratch database wait on a lock. */
async function waitForLockWaiters(count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const [{ waiting }] = await dataSource.query(
      "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (waiting >= count) return;
    if (Date.now() > deadline) throw new Error(`no ${count} lock waiters within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
