import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** Email and password. */
export class LoginRequestDto {
  /** @example "demo@example.com" */
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  email!: string;

  /** @example "demo-password-123" */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

/** A refresh token, as `login` or `refresh` returned it. */
export class RefreshRequestDto {
  /** @example "t2J4m0y3oQ3i3XJ1n8p0f3y9Wc2Yb5Vv7Zk6Lq1Hs8A" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken!: string;
}

/** A short-lived access token (send as `Authorization: Bearer …`) and a one-use refresh token. */
export class TokenPairDto {
  /** A JWT (HS256); valid for `expiresIn` seconds. */
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl' })
  accessToken!: string;

  /** Exchange it at /api/auth/refresh for a new pair; it works once. */
  @ApiProperty({ example: 't2J4m0y3oQ3i3XJ1n8p0f3y9Wc2Yb5Vv7Zk6Lq1Hs8A' })
  refreshToken!: string;

  /** Seconds until the access token expires. */
  @ApiProperty({ example: 900 })
  expiresIn!: number;
}
