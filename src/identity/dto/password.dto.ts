import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { IsAccountEmail, IsNewPassword } from '../../platform/validation/text';

export class ForgotPasswordDto {
  @ApiProperty({ example: 'jane@acme.example', maxLength: 254 })
  @IsAccountEmail()
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset mail' })
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'token must be the token from the mail' })
  token: string;

  @ApiProperty({ minLength: 12, maxLength: 256, writeOnly: true })
  @IsNewPassword()
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: 256, writeOnly: true })
  @IsString()
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 256, writeOnly: true })
  @IsNewPassword()
  newPassword: string;
}

/** The answer to requests whose outcome is told by mail, so it cannot say whether an e-mail has an account. */
export class MailedAnswerDto {
  @ApiProperty({ example: 'If the address can be used, a mail with a link is on its way' })
  message: string;
}
