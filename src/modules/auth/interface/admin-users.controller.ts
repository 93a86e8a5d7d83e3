import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { InvalidInputError } from '../../../shared/domain/domain-error';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { UserAccountsService } from '../application/user-accounts.service';
import type { Caller } from '../domain/caller';
import { AdminOnly, CurrentCaller } from './auth.decorators';
import { CreateUserDto, UpdateUserDto, UserDto, UserListDto } from './dto/user.dto';
import { presentUser } from './user.presenter';

const userId = new ParseUUIDPipe({
  exceptionFactory: () =>
    new InvalidInputError('REQUEST.VALIDATION_FAILED', 'The request has 1 invalid parameter: id.', [
      { name: 'id', reason: 'id must be a user id (a UUID)' },
    ]),
});

/** Users, for admins: create, list, disable and enable again. */
@ApiTags('admin')
@ApiExtraModels(ProblemDetailsDto)
@AdminOnly()
@Controller('api/admin/users')
export class AdminUsersController {
  constructor(private readonly accounts: UserAccountsService) {}

  /** Every user, oldest first. */
  @Get()
  @ApiOperation({ operationId: 'listUsers' })
  async list(): Promise<UserListDto> {
    return { data: (await this.accounts.list()).map(presentUser) };
  }

  /**
   * Creates a user. A `user` reads the diary entries of `person` only; an `admin` reads every
   * person's and manages users. The password needs at least 12 characters.
   */
  @Post()
  @ApiOperation({ operationId: 'createUser' })
  @ApiProblems(400, 409)
  async create(@Body() body: CreateUserDto): Promise<UserDto> {
    return presentUser(
      await this.accounts.create({
        email: body.email,
        password: body.password,
        role: body.role,
        person: body.person ?? null,
      }),
    );
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getUser' })
  @ApiParam({
    name: 'id',
    description: 'The user id (a UUID)',
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiProblems(400, 404)
  async get(@Param('id', userId) id: string): Promise<UserDto> {
    return presentUser(await this.accounts.get(id));
  }

  /**
   * Disables a user — their sign-ins, refresh tokens and access tokens stop working at once — or
   * enables them again. An admin cannot disable themselves (409).
   */
  @Patch(':id')
  @ApiOperation({ operationId: 'updateUser' })
  @ApiParam({
    name: 'id',
    description: 'The user id (a UUID)',
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiProblems(400, 404, 409)
  async update(
    @Param('id', userId) id: string,
    @Body() body: UpdateUserDto,
    @CurrentCaller() caller: Caller,
  ): Promise<UserDto> {
    return presentUser(await this.accounts.setState(id, body.state, caller));
  }
}
