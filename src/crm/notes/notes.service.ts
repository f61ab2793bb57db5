import { Injectable, NotFoundException } from '@nestjs/common';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applyKeyset, Page, toPage } from '../../platform/pagination/cursor-pagination';
import { CreateNoteDto, ListNotesQueryDto, NoteDto, UpdateNoteDto } from './dto/note.dto';
import { Note } from './entities/note.entity';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';

/**
 * Written as for a single tenant: the provider binds every read and transaction to the request's
 * tenant, and each change is audited in the same transaction.
 */
@Injectable()
export class NotesService {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly audit: TenantAuditService,
  ) {}

  create(dto: CreateNoteDto): Promise<NoteDto> {
    return this.tenantData.transaction(async (tx) => {
      if (dto.parentId) await this.findOrFail(tx, dto.parentId, 'parentId');
      const notes = tx.repository(Note);
      const note = await notes.save(notes.create({ ...dto, tenantId: tx.tenantId }));
      await this.audit.record(tx, { entity: 'note', entityId: note.id, action: 'create', changes: { ...dto } });
      return NoteDto.from(note);
    });
  }

  list(query: ListNotesQueryDto): Promise<Page<NoteDto>> {
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(Note).createQueryBuilder('note');
      if (query.search) builder.andWhere("note.title ILIKE :pattern ESCAPE '\\'", { pattern: `%${escapeLike(query.search)}%` });
      const rows = await applyKeyset(builder, query).getMany();
      return toPage(rows, query.limit, NoteDto.from);
    });
  }

  get(id: string): Promise<NoteDto> {
    return this.tenantData.read(async (tx) => NoteDto.from(await this.findOrFail(tx, id)));
  }

  update(id: string, dto: UpdateNoteDto): Promise<NoteDto> {
    return this.tenantData.transaction(async (tx) => {
      const note = await this.findOrFail(tx, id);
      if (dto.parentId) await this.findOrFail(tx, dto.parentId, 'parentId');
      const changes = changedFields(note, dto);
      if (Object.keys(changes).length === 0) return NoteDto.from(note);
      Object.assign(note, dto);
      const saved = await tx.repository(Note).save(note);
      await this.audit.record(tx, { entity: 'note', entityId: id, action: 'update', changes });
      return NoteDto.from(saved);
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const note = await this.findOrFail(tx, id);
      await tx.repository(Note).delete({ tenantId: note.tenantId, id: note.id });
      await this.audit.record(tx, { entity: 'note', entityId: id, action: 'delete', changes: { title: note.title, body: note.body, parentId: note.parentId } });
    });
  }

  /** Another tenant's note is invisible here (row-level security), so it is "not found" like a missing one. */
  private async findOrFail(tx: TenantEntityManager, id: string, field?: string): Promise<Note> {
    const note = await tx.repository(Note).findOne({ where: { id } });
    if (!note) {
      const message = `Note ${id} not found`;
      throw new NotFoundException(field ? { message, details: [{ field, problems: ['unknown note'] }] } : message);
    }
    return note;
  }
}
