import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, USER_STATES, type Role, type UserState } from '../../domain/user';

/** A user as the API shows it (never the password or its hash). */
export class UserDto {
  /** @example "0b8f6f4e-3c1d-4a52-9d8e-7f6a5b4c3d2e" */
  id!: string;
  /** @example "anna@example.com" */
  email!: string;
  @ApiProperty({ enum: ROLES, example: 'user' })
  role!: Role;
  /** The diary person whose entries this user reads; null for an admin without one. */
  @ApiProperty({ type: String, nullable: true, example: 'Anna' })
  person!: string | null;
  @ApiProperty({ enum: USER_STATES, example: 'active' })
  state!: UserState;
  /** @example "2026-11-12T09:00:00.000Z" */
  createdAt!: string;
  /** @example "2026-11-12T09:00:00.000Z" */
  updatedAt!: string;
}

export class UserListDto {
  data!: UserDto[];
}

/** A new user. A `user` needs the diary `person` they read; an admin reads everyone's. */
export class CreateUserDto {
  /** @example "anna@example.com" */
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email!: string;

  /** At least 12 characters; not a common password, not the email. */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  @ApiProperty({ example: 'a long passphrase of yours' })
  password!: string;

  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  @ApiProperty({ enum: ROLES, example: 'user' })
  role!: Role;

  /**
   * The diary's `person`, exactly as the diary writes it.
   * @example "Anna"
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  person?: string;
}

/** Disables a user (their tokens stop working at once) or enables them again. */
export class UpdateUserDto {
  @IsIn(USER_STATES, { message: `state must be one of ${USER_STATES.join(', ')}` })
  @ApiProperty({ enum: USER_STATES, example: 'disabled' })
  state!: UserState;
}
