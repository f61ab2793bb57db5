import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const TOTP_CODE = /^\d{6}$/;
const RECOVERY_CODE = /^\s*[0-9a-fA-F]{5}([- ]?[0-9a-fA-F]{5}){3}\s*$/;

export class ConfirmTotpDto {
  @ApiProperty({ example: '123456', description: 'The code the authenticator app shows now' })
  @IsString()
  @Matches(TOTP_CODE, { message: 'code must be the 6 digits the authenticator shows' })
  code: string;
}

/** One of the two: a current TOTP code, or one of the recovery codes (each works once). */
export class SecondFactorDto {
  @ApiPropertyOptional({ example: '123456', description: 'A current code of the authenticator app; each code works once' })
  @IsOptional()
  @IsString()
  @Matches(TOTP_CODE, { message: 'code must be the 6 digits the authenticator shows' })
  code?: string;

  @ApiPropertyOptional({
    example: '3f9a1-0c2d4-77e1b-a9034',
    writeOnly: true,
    description: 'One of the recovery codes given at enrolment; each works once',
  })
  @IsOptional()
  @IsString()
  @Matches(RECOVERY_CODE, { message: 'recoveryCode must look like xxxxx-xxxxx-xxxxx-xxxxx' })
  recoveryCode?: string;
}

export class LoginMfaDto extends SecondFactorDto {
  @ApiProperty({ description: 'The mfaToken the password step answered (valid 5 minutes)' })
  @IsString()
  @MaxLength(2000)
  mfaToken: string;
}
