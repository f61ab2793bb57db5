import { Injectable, UnauthorizedException } from '@nestjs/common';
import { UsersService } from '../../control-plane/users/users.service';
import { AuthService } from '../auth.service';
import { TokenResponseDto } from '../dto/token-response.dto';
import { LoginMfaDto } from './dto/second-factor.dto';
import { MfaTokenService } from './mfa-token.service';
import { TotpService } from './totp.service';

/** The second login step: the mfaToken from the password step plus a code or a recovery code. */
@Injectable()
export class MfaLoginService {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly mfaTokens: MfaTokenService,
    private readonly totp: TotpService,
  ) {}

  async complete(dto: LoginMfaDto): Promise<TokenResponseDto> {
    const challenge = this.mfaTokens.verify(dto.mfaToken);
    const user = await this.users.findActive(challenge.userId);
    if (!user) throw new UnauthorizedException('The account is disabled or no longer exists');
    if (!(await this.totp.verify(user, dto))) throw new UnauthorizedException('The code is wrong or was already used');
    return this.auth.signIn(user, challenge.tenant);
  }
}
