import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { Public } from '../../../shared/interface/public.decorator';
import { LoginThrottle } from '../../security/interface/login-throttle.decorator';
import { AuthService } from '../application/auth.service';
import { UserAccountsService } from '../application/user-accounts.service';
import type { Caller } from '../domain/caller';
import { Authenticated, CurrentCaller } from './auth.decorators';
import { LoginRequestDto, RefreshRequestDto, TokenPairDto } from './dto/auth.dto';
import { UserDto } from './dto/user.dto';
import { presentUser } from './user.presenter';

/** Sign in, refresh, sign out, and who am I (docs/security.md, "Authentication and authorisation"). */
@ApiTags('auth')
@ApiExtraModels(ProblemDetailsDto)
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: UserAccountsService,
  ) {}

  /**
   * Signs in. Wrong email, wrong password and a disabled account all answer the same 401.
   * Repeated failures for an account or from an address are slowed down, then locked for a
   * while (429 with Retry-After).
   */
  @Post('login')
  @Public()
  @LoginThrottle()
  @HttpCode(200)
  @ApiOperation({ operationId: 'login' })
  @ApiProblems(400, 401, 429)
  login(@Body() body: LoginRequestDto, @Req() request: { ip?: string }): Promise<TokenPairDto> {
    return this.auth.login(body.email, body.password, request.ip ?? 'unknown');
  }

  /**
   * Exchanges a refresh token for a new pair. Each refresh token works once: presenting a used
   * one revokes every token of its sign-in.
   */
  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ operationId: 'refreshTokens' })
  @ApiProblems(400, 401)
  refresh(@Body() body: RefreshRequestDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  /**
   * Signs out: the refresh token and every token of its sign-in stop working (an access token
   * already issued lasts until it expires, at most JWT_TTL_SECONDS). Answers 204 for any token.
   */
  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ operationId: 'logout' })
  @ApiProblems(400)
  async logout(@Body() body: RefreshRequestDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  /** The signed-in user. */
  @Get('me')
  @Authenticated()
  @ApiOperation({ operationId: 'getCurrentUser' })
  async me(@CurrentCaller() caller: Caller): Promise<UserDto> {
    return presentUser(await this.accounts.get(caller.userId));
  }
}
