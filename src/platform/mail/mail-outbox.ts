import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { JobQueue } from '../../../libs/queue/job-queue';
import { SecretCipher } from '../../../libs/secrets';
import { OutboundMail } from './entities/outbound-mail.entity';
import { mailSecretScope } from './mail-secrets';

export const MAIL_QUEUE = 'mail-delivery';

export interface MailJob {
  mailId: string;
}

export interface Mail {
  kind: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Where code that needs a mail sent writes it: inside the caller's transaction, with its delivery
 * job, so a rolled-back change sends nothing and a committed one is never lost.
 */
@Injectable()
export class MailOutbox implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly cipher: SecretCipher,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.queue.defineQueue(MAIL_QUEUE, { retryLimit: 12, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
  }

  async enqueue(manager: EntityManager, mail: Mail): Promise<void> {
    const id = randomUUID();
    await manager.insert(OutboundMail, {
      id,
      kind: mail.kind,
      recipient: mail.to,
      subject: mail.subject,
      bodyEncrypted: this.cipher.encrypt(mail.text, mailSecretScope(id)),
    });
    await this.queue.sendWithin((text, values) => manager.query(text, values), MAIL_QUEUE, { mailId: id } satisfies MailJob);
  }

  /** After the enqueuing transaction committed: send now if this process works the queue. */
  wake(): void {
    this.queue.wake(MAIL_QUEUE);
  }
}
