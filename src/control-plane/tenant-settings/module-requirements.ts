import { BadRequestException } from '@nestjs/common';
import { missingSettings } from '../../crm/tenant-modules/module-catalog';

/** A 400 listing the settings a module still needs, if any. */
export function assertEnableable(module: string, settings: Record<string, string | undefined>): void {
  const missing = missingSettings(module, settings);
  if (missing.length > 0) {
    throw new BadRequestException({
      message: `The ${module} module needs these tenant settings first: ${missing.join(', ')}`,
      details: missing.map((name) => ({ field: `settings.${name}`, problems: [`required by the ${module} module`] })),
    });
  }
}
