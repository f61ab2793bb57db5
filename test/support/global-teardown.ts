import { rm } from 'node:fs/promises';
import { dropControlPlaneTemplate } from './control-plane-template';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.TENANTRY_TEST_CONTROL_PLANE_TEMPLATE;
  const embedded = globalThis.embeddedTestPostgres;
  if (!embedded) {
    if (template) await dropControlPlaneTemplate(process.env.TENANTRY_TEST_ADMIN_URL!, template);
    return;
  }
  await embedded.server.stop();
  await rm(embedded.dir, { recursive: true, force: true });
}
