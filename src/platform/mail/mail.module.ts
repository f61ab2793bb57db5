import { Global, Module } from '@nestjs/common';
import { MailDeliveryWorker } from './mail-delivery.worker';
import { MailOutbox } from './mail-outbox';
import { MailTransport } from './mail-transport';

/** Mail through a transactional outbox and the mail-delivery job (SMTP_URL, or the log in development). */
@Global()
@Module({
  providers: [MailOutbox, MailTransport, MailDeliveryWorker],
  exports: [MailOutbox],
})
export class MailModule {}
