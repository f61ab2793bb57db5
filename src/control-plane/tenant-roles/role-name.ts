/** What a role name may look like, built-in or custom: lower-case letters, digits and underscores, up to 64. */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
