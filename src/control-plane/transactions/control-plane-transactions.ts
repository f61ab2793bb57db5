import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * A control-plane transaction for callers outside the control plane (sign-in, registration) that
 * make several narrow-service calls commit together; they hand the manager to those services and
 * never touch the control plane's tables or DataSource themselves.
 */
@Injectable()
export class ControlPlaneTransactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
