import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { NotesController } from './notes.controller';
import { NotesService } from './notes.service';
import { NOTES_MODULE } from './notes.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(NOTES_MODULE)],
  controllers: [NotesController],
  providers: [NotesService],
})
export class NotesModule {}
