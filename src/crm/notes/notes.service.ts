import { Injectable } from '@nestjs/common';
import { CrmEvents } from '../domain-events/crm-events';
import { assertLinkedRecord, findOrFail } from '../../../libs/tenancy/records/record-lookups';
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
    private readonly events: CrmEvents,
  ) {}

  create(dto: CreateNoteDto): Promise<NoteDto> {
    return this.tenantData.transaction(async (tx) => {
      await assertParent(tx, dto.parentId);
      const notes = tx.repository(Note);
      const note = await notes.save(notes.create(dto));
      await this.audit.record(tx, { entity: 'note', entityId: note.id, action: 'create', changes: { ...dto } });
      const record = NoteDto.from(note);
      await this.events.recordChanged(tx, 'note', 'created', record);
      return record;
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
    return this.tenantData.read(async (tx) => NoteDto.from(await findNote(tx, id)));
  }

  update(id: string, dto: UpdateNoteDto): Promise<NoteDto> {
    return this.tenantData.transaction(async (tx) => {
      const note = await findNote(tx, id, true);
      await assertParent(tx, dto.parentId);
      const changes = changedFields(note, dto);
      if (Object.keys(changes).length === 0) return NoteDto.from(note);
      const saved = await tx.repository(Note).save(Object.assign(note, dto));
      await this.audit.record(tx, { entity: 'note', entityId: id, action: 'update', changes });
      const record = NoteDto.from(saved);
      await this.events.recordChanged(tx, 'note', 'updated', record, changes);
      return record;
    });
  }

  /**
   * Notes are deleted for good; a child note keeps living without its parent. Its parentId is cleared here, audited
   * and announced like any change, rather than left to the foreign key's ON DELETE SET NULL, which tells no one.
   */
  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const note = await findNote(tx, id, true);
      const children = await tx.repository(Note).find({ where: { parentId: id }, lock: { mode: 'pessimistic_write' } });
      for (const child of children) {
        const changes = { parentId: { from: id, to: null } };
        const saved = await tx.repository(Note).save(Object.assign(child, { parentId: null }));
        await this.audit.record(tx, { entity: 'note', entityId: child.id, action: 'update', changes });
        await this.events.recordChanged(tx, 'note', 'updated', NoteDto.from(saved), changes);
      }
      await tx.repository(Note).delete({ id });
      await this.audit.record(tx, {
        entity: 'note',
        entityId: id,
        action: 'delete',
        changes: { title: note.title, body: note.body, parentId: note.parentId },
      });
      await this.events.recordChanged(tx, 'note', 'deleted', NoteDto.from(note));
    });
  }
}

const findNote = (tx: TenantEntityManager, id: string, forUpdate = false) => findOrFail(tx, Note, id, { name: 'Note', forUpdate });

const assertParent = (tx: TenantEntityManager, parentId: string | undefined) =>
  assertLinkedRecord(tx, Note, parentId, { field: 'parentId', name: 'Note' });
