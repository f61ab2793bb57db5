import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantSettingsService } from './tenant-settings.service';

/** The settings of the tenant bound to the current request, for tenant-data modules that default a value from them. */
@Injectable()
export class CurrentTenantSettings {
  constructor(
    private readonly settingsOf: TenantSettingsService,
    private readonly context: TenantContext,
  ) {}

  settings(): Promise<Record<string, string>> {
    return this.settingsOf.settings(this.context.require().id);
  }

  /** The currency amounts default to when a request names none. */
  async currency(): Promise<string> {
    return (await this.settings()).currency;
  }
}
