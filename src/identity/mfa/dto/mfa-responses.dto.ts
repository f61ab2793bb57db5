import { ApiProperty } from '@nestjs/swagger';

/** What `POST /auth/login` answers instead of tokens when the account has a second factor. */
export class MfaChallengeDto {
  @ApiProperty({ example: true, enum: [true] })
  mfaRequired: true;

  @ApiProperty({ description: 'Short-lived token for POST /auth/login/mfa only; it is not an access token' })
  mfaToken: string;

  @ApiProperty({ type: 'integer', example: 300, description: 'mfaToken lifetime in seconds' })
  expiresIn: number;
}

export class TotpSetupDto {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', description: 'Base32 secret, for typing into the authenticator app' })
  secret: string;

  @ApiProperty({
    example: 'otpauth://totp/Tenantry:jane%40acme.example?secret=…&issuer=Tenantry',
    description: 'The same secret as a URI for a QR code',
  })
  otpauthUri: string;

  @ApiProperty({ type: 'integer', example: 6 })
  digits: number;

  @ApiProperty({ type: 'integer', example: 30, description: 'Seconds per code' })
  period: number;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    example: ['3f9a1-0c2d4-77e1b-a9034'],
    description: 'Shown this once: each signs in once instead of a code. Only their hashes are stored.',
  })
  recoveryCodes: string[];
}
