import { createServiceTesting, ServiceTesting } from '../support/service-testing';
import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { TenantModulesModule } from '../../src/crm/tenant-modules/tenant-modules.module';
import { TenantModulesService } from '../../src/crm/tenant-modules/tenant-modules.service';

/** A tenant's modules: only those in its plan, and only once the settings they need are filled. */
let testing: ServiceTesting;
let modules: TenantModulesService;

beforeAll(async () => {
  testing = await createServiceTesting([TenantModulesModule], { plan: 'professional', enabledModules: ['notes'] });
  modules = testing.get(TenantModulesService);
});

afterAll(() => testing?.close());

const enabled = async () => (await testing.asTenant(() => modules.list())).filter((module) => module.enabled).map((module) => module.name);

it('refuses a module that needs settings the tenant has not filled, naming them', async () => {
  const refused = testing.asTenant(() => modules.enable('inventory'));
  await expect(refused).rejects.toThrow(BadRequestException);
  await expect(refused).rejects.toThrow('The inventory module needs these tenant settings first: currency');
  expect(await enabled()).toEqual(['notes']);
});

it('enables it once the settings are there, and records who did it', async () => {
  await testing.asTenant(() => modules.updateSettings({ currency: 'EUR' }));
  await testing.asTenant(() => modules.enable('inventory'));
  expect(await enabled()).toEqual(['notes', 'inventory']);
  const [tenant] = await testing.controlPlaneSql<{ enabled_modules: string[] }>('SELECT enabled_modules FROM tenants WHERE id = $1', [
    testing.tenantId,
  ]);
  expect(tenant.enabled_modules).toEqual(['notes', 'inventory']);
});

it('refuses a module outside the plan, whatever the settings', async () => {
  await testing.asTenant(() => modules.updateSettings({ address: '1 Main Street', companyName: 'Acme' }));
  await expect(testing.asTenant(() => modules.enable('invoices'))).rejects.toThrow(ForbiddenException);
  expect(await enabled()).not.toContain('invoices');
});
