import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../../libs/queue/job-queue';
import { SecretCipher } from '../../../libs/secrets';
import { AppConfig } from '../config/app-config';
import { OutboundMail } from './entities/outbound-mail.entity';
import { MAIL_QUEUE, MailJob } from './mail-outbox';
import { mailSecretScope } from './mail-secrets';
import { MailTransport } from './mail-transport';

/**
 * Sends the outbox's mails (unless QUEUE_WORKER=false). At-least-once: a process killed between
 * the SMTP server's acceptance and the `sent_at` update sends that mail again on the retry; a
 * mail already marked sent is skipped, and its body is erased with the mark.
 */
@Injectable()
export class MailDeliveryWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailDeliveryWorker.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly cipher: SecretCipher,
    private readonly transport: MailTransport,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('queue.worker', { infer: true })) return;
    await this.queue.work<MailJob>(MAIL_QUEUE, 1, (job, signal) => this.deliver(job.data.mailId, signal), 2);
  }

  /**
   * Once `signal` aborts (the job's time is up, so pg-boss retries it) the mail is no longer handed
   * to the SMTP server by this attempt: the retry sends it, and a send already under way is not cut off.
   */
  async deliver(mailId: string, signal?: AbortSignal): Promise<void> {
    const mail = await this.dataSource.getRepository(OutboundMail).findOneBy({ id: mailId });
    if (!mail || mail.sentAt || !mail.bodyEncrypted) return;
    const text = this.cipher.decrypt(mail.bodyEncrypted, mailSecretScope(mail.id));
    signal?.throwIfAborted();
    try {
      await this.transport.send({ to: mail.recipient, subject: mail.subject, text });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource.query('UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
        mail.id,
        message.slice(0, 1000),
      ]);
      this.logger.warn(`Mail ${mail.id} (${mail.kind}) not delivered yet: ${message}`);
      throw error;
    }
    await this.dataSource.query(
      'UPDATE mail_outbox SET attempts = attempts + 1, sent_at = now(), body_encrypted = NULL, last_error = NULL WHERE id = $1 AND sent_at IS NULL',
      [mail.id],
    );
  }
}
