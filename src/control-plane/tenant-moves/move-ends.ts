import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { withSession } from '../../../libs/tenancy/tenant-copy/admin-session';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { MoveEnd } from '../schema/tenant-move.entity';

/** Administrative sessions on the databases at either end of a move (the servers' admin credentials). */
@Injectable()
export class MoveEnds {
  constructor(private readonly servers: DatabaseServersService) {}

  async connection(end: Pick<MoveEnd, 'databaseServerId'>) {
    return this.servers.adminConnection(end.databaseServerId);
  }

  async on<T>(end: Pick<MoveEnd, 'databaseServerId' | 'databaseName'>, work: (client: Client) => Promise<T>): Promise<T> {
    return withSession(await this.connection(end), end.databaseName, work);
  }

  /** Both ends at once, each in a session of its own. */
  async both<T>(source: MoveEnd, target: MoveEnd, work: (source: Client, target: Client) => Promise<T>): Promise<T> {
    return this.on(source, (sourceClient) => this.on(target, (targetClient) => work(sourceClient, targetClient)));
  }
}

/** The same place: a move there would copy rows onto themselves. */
export function sameEnd(a: Partial<MoveEnd>, b: Partial<MoveEnd>): boolean {
  return a.databaseServerId === b.databaseServerId && a.databaseName === b.databaseName;
}
