import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OwnershipMark, Owner } from '../../../libs/tenancy/ownership-mark';

/**
 * This control plane's id (one row of control_plane_identity, written by its migration): the same
 * for every process on this control-plane database, different for any other control plane that
 * shares a tenant server. It never changes, so it is read once per process.
 */
@Injectable()
export class ControlPlaneIdentity {
  private id?: Promise<string>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  controlPlaneId(): Promise<string> {
    this.id ??= this.dataSource.query('SELECT id FROM control_plane_identity').then((rows: Array<{ id: string }>) => rows[0].id);
    this.id.catch(() => (this.id = undefined));
    return this.id;
  }

  /** The mark this control plane writes on (and expects on) what it creates for `owner`. */
  async markFor(owner: Owner): Promise<OwnershipMark> {
    return { controlPlaneId: await this.controlPlaneId(), ...owner };
  }
}
