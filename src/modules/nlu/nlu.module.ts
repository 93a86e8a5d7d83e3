import { Module } from '@nestjs/common';
import { SymptomsModule } from '../symptoms/symptoms.module';
import { NluService } from './application/nlu.service';
import { NluController } from './interface/nlu.controller';

/** Natural-language understanding of diary questions (US-BE-02). */
@Module({
  imports: [SymptomsModule],
  controllers: [NluController],
  providers: [NluService],
  exports: [NluService],
})
export class NluModule {}
