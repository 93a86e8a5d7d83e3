import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../shared/domain/domain-error';
import type { CapturedError } from '../domain/captured-error';
import { CapturedErrorQuery, CapturedErrorRepository } from './captured-error.repository';

export class CapturedErrorNotFoundError extends DomainError {
  constructor() {
    super(
      'ERROR.NOT_FOUND',
      'not_found',
      'There is no captured error with this id (it may have been pruned).',
    );
  }
}

/** Reading the error store, for admins. */
@Injectable()
export class CapturedErrorsService {
  constructor(private readonly repository: CapturedErrorRepository) {}

  find(query: CapturedErrorQuery): Promise<{ items: CapturedError[]; total: number }> {
    return this.repository.find(query);
  }

  async get(id: string): Promise<CapturedError> {
    const found = await this.repository.get(id);
    if (!found) throw new CapturedErrorNotFoundError();
    return found;
  }
}
