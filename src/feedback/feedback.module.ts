import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { RecordingModule } from '../recording/recording.module';
import { FeedbackController } from './feedback.controller';
import { FeedbackRepository } from './feedback.repository';
import { FeedbackService } from './feedback.service';

@Module({
  imports: [ModelsModule, RecordingModule],
  controllers: [FeedbackController],
  providers: [FeedbackRepository, FeedbackService],
  exports: [FeedbackRepository],
})
export class FeedbackModule {}
