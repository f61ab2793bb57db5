/**
 * The document's tags, in the order Swagger UI and generated docs show them: signing in first,
 * then the control plane, then tenant data, then health. Every tag a controller uses is listed
 * here (the OpenAPI lint refuses an undeclared one).
 */
export const API_TAGS: { name: string; description: string }[] = [
  {
    name: 'auth',
    description:
      'Sign-up, sign-in (password, then TOTP when enrolled), tokens, invitations and passwords. API keys never reach these routes.',
  },
  {
    name: 'control: tenants',
    description:
      'Tenants, their lifecycle (provisioning, suspension, deletion) and their members. Platform admins; super admins for their assigned tenants.',
  },
  { name: 'control: users', description: 'User accounts, platform roles, super-admin assignments and platform invitations.' },
  { name: 'control: plans', description: 'Plans: quotas, modules and default placement.' },
  { name: 'control: provisioning', description: 'The provisioning queue and orphaned databases or roles left by failed attempts.' },
  { name: 'control: migrations', description: 'Fleet migration runs of the tenant schema, with per-database progress.' },
  { name: 'control: database servers', description: 'PostgreSQL servers that hold dedicated tenant databases and pooled databases.' },
  { name: 'control: tenant pools', description: 'Pooled tenant databases shared by many tenants under row-level security.' },
  {
    name: 'control: tenant data sources (byod)',
    description: "A byod tenant's own database or REST API: settings, introspection, field mappings, activation.",
  },
  { name: 'control: api keys', description: 'Platform API keys for automation of /control routes.' },
  { name: 'control: audit', description: 'The control-plane audit trail.' },
  {
    name: 'control: alerts',
    description: 'Alerts to platform admins: provisioning failures, byod sources down, connection waits, quotas nearly reached.',
  },
  { name: 'api: tenant', description: 'The current tenant: profile, members, modules and settings.' },
  { name: 'api: users', description: "The current tenant's users and invitations." },
  { name: 'api: roles', description: 'Custom roles as sets of permissions, and the permission catalog.' },
  { name: 'api: api keys', description: "The current tenant's API keys." },
  { name: 'api: tenant data source (byod)', description: "The current tenant's own data source, managed by its admins." },
  { name: 'api: accounts', description: 'Accounts (companies), module `accounts`.' },
  { name: 'api: contacts', description: 'Contacts and their accounts, module `contacts`.' },
  { name: 'api: deals', description: 'Deals with line items and stage history, module `deals`.' },
  { name: 'api: activities', description: 'Calls, e-mails, meetings, notes and tasks about records, module `activities`.' },
  { name: 'api: events', description: 'Events with their dates and staff, module `events`.' },
  { name: 'api: inventory', description: 'Stock items, levels and movements, module `inventory`.' },
  { name: 'api: invoices', description: 'Quotes, invoices and payments (amounts in integer minor units), module `invoices`.' },
  { name: 'api: notes', description: "The tenant's notes." },
  { name: 'api: custom fields', description: 'Custom fields of records, validated like built-in fields.' },
  { name: 'api: audit', description: "The tenant's data audit trail." },
  { name: 'health', description: 'Liveness and readiness probes.' },
];
