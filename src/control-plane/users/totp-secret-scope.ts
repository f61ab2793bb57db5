/** Binds a user's encrypted TOTP secret to the user, so ciphertexts cannot be swapped between rows. */
export function totpSecretScope(userId: string): string {
  return `user_totp:${userId}`;
}
