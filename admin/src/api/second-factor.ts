import { api, call } from './client';

export const startTotpSetup = () => call(() => api.POST('/auth/mfa/totp/setup'));
export const confirmTotp = (code: string) => call(() => api.POST('/auth/mfa/totp/confirm', { body: { code } }));
