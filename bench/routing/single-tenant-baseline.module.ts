import {
  Controller,
  Get,
  Headers,
  Inject,
  Injectable,
  Module,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Scope,
  UnauthorizedException,
} from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Public } from '../../src/platform/access/access.decorators';
import { NoteDto } from '../../src/crm/notes/dto/note.dto';
import { Note } from '../../src/crm/notes/entities/note.entity';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/identity/access-token';

/**
 * What a single-tenant application would do for the same GET: verify the bearer token, read the
 * row through a repository of one singleton DataSource, answer the same DTO. Mounted beside Tenantry in the benchmark's process only.
 * A second route reaches the same DataSource through a request-scoped provider chain, to
 * measure what Nest's `Scope.REQUEST` would cost (see README, "Request-scoped without
 * re-instantiation").
 */
export const SINGLE_DATA_SOURCE = 'SINGLE_TENANT_DATA_SOURCE';

@Injectable()
class BearerVerifier {
  private readonly jwt = new JwtService();
  /** A KeyObject, as Tenantry's JwtStrategy uses, so both sides pay the same for verification. */
  private readonly key = createSecretKey(Buffer.from(JSON.parse(process.env.TENANTRY_BENCH_CHILD!).jwtSecret as string));

  verify(authorization: string | undefined): void {
    try {
      this.jwt.verify(authorization?.replace(/^Bearer /, '') ?? '', {
        secret: this.key as unknown as string,
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
    } catch {
      throw new UnauthorizedException();
    }
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedNotes {
  constructor(
    @Inject(REQUEST) readonly request: unknown,
    @Inject(SINGLE_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  find(id: string) {
    return findNote(this.dataSource, id);
  }
}

@Controller('bench/single-tenant/notes')
@Public()
class SingleTenantNotesController {
  constructor(
    private readonly verifier: BearerVerifier,
    @Inject(SINGLE_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @Headers('authorization') authorization?: string) {
    this.verifier.verify(authorization);
    return findNote(this.dataSource, id);
  }
}

@Controller('bench/request-scoped/notes')
@Public()
class RequestScopedNotesController {
  constructor(
    private readonly verifier: BearerVerifier,
    private readonly notes: RequestScopedNotes,
  ) {}

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @Headers('authorization') authorization?: string) {
    this.verifier.verify(authorization);
    return this.notes.find(id);
  }
}

/** The same pipe, entity, repository call and response DTO as Tenantry's notes module, minus the tenancy. */
export async function findNote(dataSource: DataSource, id: string): Promise<NoteDto> {
  const note = await dataSource.getRepository(Note).findOne({ where: { id } });
  if (!note) throw new NotFoundException(`Note ${id} not found`);
  return NoteDto.from(note);
}

@Module({
  controllers: [SingleTenantNotesController, RequestScopedNotesController],
  providers: [
    RequestScopedNotes,
    BearerVerifier,
    {
      provide: SINGLE_DATA_SOURCE,
      useFactory: async () => {
        const dataSource = new DataSource({
          type: 'postgres',
          url: process.env.BENCH_SINGLE_TENANT_DATABASE_URL,
          entities: [Note],
          extra: { max: 10 },
        });
        return dataSource.initialize();
      },
    },
  ],
  exports: [SINGLE_DATA_SOURCE],
})
export class SingleTenantBaselineModule {}

export const BENCH_MODULE = SingleTenantBaselineModule;
