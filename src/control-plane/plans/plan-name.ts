import { Matches } from 'class-validator';

/** What a plan may be called: it appears in URLs, in SELF_SERVICE_PLANS and on the CLI (migration PlanQuotasAndChanges checks it too). */
export const PLAN_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

export const PLAN_NAME_RULE = 'a lower-case letter, then up to 31 lower-case letters, digits, "_" or "-"';

/**
 * A plan's name as input: its shape only. Which plans exist is the control plane's to say (platform
 * admins create and delete them), so the services that take a plan check that it exists.
 */
export const IsPlanName = () => Matches(PLAN_NAME_PATTERN, { message: `$property must be a plan name (${PLAN_NAME_RULE})` });
