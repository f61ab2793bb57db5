/** Binds an outbound mail's encrypted body to its row, so it cannot be moved to another mail. */
export const mailSecretScope = (mailId: string) => `mail:${mailId}`;
