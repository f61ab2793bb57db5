import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Hands a mail to the SMTP server of SMTP_URL (nodemailer). Without SMTP_URL (development only:
 * production requires it) the mail is written to the log, so a developer can follow its link.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter?: Transporter;
  private readonly from: string;

  constructor(config: ConfigService<AppConfig, true>) {
    const { smtpUrl, from } = config.get('mail', { infer: true });
    this.from = from;
    if (smtpUrl) this.transporter = createTransport(withTimeouts(smtpUrl));
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transporter) {
      this.logger.warn(`SMTP_URL is not set; mail to ${message.to} not sent: "${message.subject}"\n${message.text}`);
      return;
    }
    await this.transporter.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}

/** A slow or silent SMTP server fails the delivery attempt (and so retries it) rather than holding a worker. */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [name, ms] of [
    ['connectionTimeout', 10_000],
    ['greetingTimeout', 10_000],
    ['socketTimeout', 30_000],
  ] as const) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  }
  return url.toString();
}
