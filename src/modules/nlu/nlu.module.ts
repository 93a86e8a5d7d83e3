import { Module } from '@nestjs/common';
import { NluService } from './application/nlu.service';
import { NluController } from './interface/nlu.controller';

/** Natural-language understanding of diary questions (US-BE-02). */
@Module({
  controllers: [NluController],
  providers: [NluService],
  exports: [NluService],
})
export class NluModule {}
