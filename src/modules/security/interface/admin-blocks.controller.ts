import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { normalizeIp } from '@nestjs/throttler';
import { abuseConfig, type AbuseConfig } from '../../../config/configuration';
import { DomainError, InvalidInputError } from '../../../shared/domain/domain-error';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { RETRY_AFTER_HEADER } from '../../../shared/interface/api-problems.decorator';
import { PROBLEM_CONTENT_TYPE } from '../../../shared/interface/problem-details';
import type { Caller } from '../../auth/domain/caller';
import { AdminOnly, CurrentCaller } from '../../auth/interface/auth.decorators';
import { AbuseDetectionService } from '../application/abuse-detection.service';
import { type AddressBlock, isBlockableAddress } from '../domain/abuse-policy';
import {
  AddressBlockDto,
  AddressBlockListDto,
  CreateAddressBlockDto,
} from './dto/address-block.dto';

const ADDRESS_PARAM = {
  name: 'address',
  description:
    'The blocked address as listed (an IPv4 address, or an IPv6 /64 such as `2001:db8:1:2::/64`, URL-encoded)',
  schema: { type: 'string', maxLength: 64, example: '203.0.113.7' },
} as const;

/** The store of blocks (Redis) is away. */
const Unavailable = () =>
  ApiResponse({
    status: 503,
    description: 'The store of blocks (Redis) is unreachable; retry after `Retry-After` seconds.',
    headers: { ...RETRY_AFTER_HEADER },
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } },
    },
  });

function invalidAddress(): InvalidInputError {
  return new InvalidInputError(
    'REQUEST.VALIDATION_FAILED',
    'The request has 1 invalid parameter: address.',
    [
      {
        name: 'address',
        reason: 'address must be an IPv4 or IPv6 address (or an IPv6 /64 as listed)',
      },
    ],
  );
}

/** The key the detector and the rate limiter use for an address an admin types. */
function addressKey(address: string): string {
  if (!isBlockableAddress(address)) throw invalidAddress();
  return address.includes('/') ? address.toLowerCase() : normalizeIp(address);
}

function present(block: AddressBlock): AddressBlockDto {
  return {
    address: block.address,
    reason: block.reason,
    detail: block.detail,
    by: block.by,
    since: new Date(block.since).toISOString(),
    until: new Date(block.until).toISOString(),
  };
}

/**
 * Client addresses blocked by the abuse detection (docs/security.md, Abuse detection), for
 * admins: list them, lift a block, block an address by hand.
 */
@ApiTags('admin')
@ApiExtraModels(ProblemDetailsDto)
@AdminOnly()
@Controller('api/admin/blocks')
export class AdminBlocksController {
  constructor(
    private readonly detection: AbuseDetectionService,
    @Inject(abuseConfig.KEY) private readonly config: AbuseConfig,
  ) {}

  /** The blocks in force, soonest to end first (at most 200). */
  @Get()
  @ApiOperation({ operationId: 'listAddressBlocks' })
  @Unavailable()
  async list(): Promise<AddressBlockListDto> {
    return { data: (await this.detection.list()).map(present) };
  }

  /**
   * Blocks an address by hand for `minutes` (default ABUSE_BLOCK_MINUTES), with every instance
   * when Redis is shared. An allowlisted address is never refused, and an admin cannot block the
   * address they call from (409).
   */
  @Post()
  @ApiOperation({ operationId: 'blockAddress' })
  @ApiProblems(400, 409)
  @Unavailable()
  async block(
    @Body() body: CreateAddressBlockDto,
    @CurrentCaller() caller: Caller,
    @Req() request: { ip?: string },
  ): Promise<AddressBlockDto> {
    const address = addressKey(body.address);
    if (request.ip !== undefined && normalizeIp(request.ip) === address) {
      throw new DomainError(
        'ABUSE.OWN_ADDRESS',
        'conflict',
        'This is the address you are calling from: blocking it would lock you out.',
      );
    }
    const minutes = body.minutes ?? Math.ceil(this.config.thresholds.blockMs / 60_000);
    return present(
      await this.detection.blockByHand(
        address,
        minutes,
        body.note ?? 'blocked by an admin',
        caller.userId,
      ),
    );
  }

  /** Lifts a block at once (the address's counts start afresh with its next window). */
  @Delete(':address')
  @HttpCode(204)
  @ApiOperation({ operationId: 'liftAddressBlock' })
  @ApiParam(ADDRESS_PARAM)
  @ApiProblems(400, 404)
  @Unavailable()
  async lift(@Param('address') address: string, @CurrentCaller() caller: Caller): Promise<void> {
    const lifted = await this.detection.lift(addressKey(address), caller.userId);
    if (!lifted) {
      throw new DomainError('ABUSE.NOT_BLOCKED', 'not_found', 'This address is not blocked.');
    }
  }
}
