import { MailDeliveryWorker } from '../src/platform/mail/mail-delivery.worker';
import { adminToken, registerTenant } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/** The mail worker's attempt stops when its job's time is up: pg-boss retries the job, and only the retry may send. */
describe('mail delivery', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    // No worker: the test drives deliveries itself.
    t = await startTestApp({ env: { QUEUE_WORKER: 'false' } });
    admin = await adminToken(t.api);
  });
  afterAll(() => t.close());

  it('hands nothing to the SMTP server once the attempt’s signal has aborted, leaving the mail for the retry', async () => {
    const { admin: owner } = await registerTenant(t.api, admin);
    const [{ id }] = await t.sql('SELECT id FROM mail_outbox WHERE recipient = $1', [owner.email]);
    const worker = t.app.get(MailDeliveryWorker);
    const timedOut = new AbortController();
    timedOut.abort(new Error('job expired'));

    await expect(worker.deliver(id, timedOut.signal)).rejects.toThrow('job expired');
    expect(await t.sql('SELECT attempts, sent_at FROM mail_outbox WHERE id = $1', [id])).toEqual([{ attempts: 0, sent_at: null }]);

    await worker.deliver(id);
    expect(await t.mailbox.take(owner.email, /invited/)).toBeTruthy();
    const [sent] = await t.sql('SELECT attempts, sent_at FROM mail_outbox WHERE id = $1', [id]);
    expect(sent).toMatchObject({ attempts: 1, sent_at: expect.any(Date) });
  });
});
