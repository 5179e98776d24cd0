import { ApiKeyEntity } from '../../auth/api-key.entity';
import { DriftReferenceEntity } from '../../drift/drift-reference.entity';
import { DriftReportEntity } from '../../drift/drift-report.entity';
import { EvaluationSetEntity, EvaluationSetItemEntity } from '../../evaluation/evaluation-set.entity';
import { EvaluationEntity, RetrainingRequestEntity } from '../../evaluation/evaluation.entity';
import {
  ExperimentArmErrorsEntity,
  ExperimentDecisionEntity,
  ExperimentEntity,
} from '../../experiments/experiment.entity';
import { ModelVariantEntity } from '../../models/model-variant.entity';
import { ModelVersionEntity } from '../../models/model-version.entity';
import { EnsembleMemberEntity } from '../../ensembles/ensemble-member.entity';
import { LeaderboardEntity } from '../../leaderboard/leaderboard.entity';
import { HistogramCountEntity } from '../../recording/histogram-count.entity';
import { FeedbackEntity } from '../../feedback/feedback.entity';
import { CalibrationEntity } from '../../performance/calibration.entity';
import {
  EstimatedDropAlertEntity,
  LabelCoverageEntity,
  PerformanceEstimateEntity,
} from '../../performance/performance-estimate.entity';
import { PredictionEntity } from '../../recording/prediction.entity';
import { QuantizationJobEntity } from '../../quantization/quantization-job.entity';
import { WebhookAttemptEntity } from '../../webhooks/webhook-attempt.entity';
import { WebhookDeliveryEntity } from '../../webhooks/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../../webhooks/webhook-endpoint.entity';
import { WebhookEventEntity } from '../../webhooks/webhook-event.entity';

/** Every entity, registered in one place for the app, the worker and the CLI. */
export const entities = [
  ModelVersionEntity,
  PredictionEntity,
  FeedbackEntity,
  HistogramCountEntity,
  WebhookEndpointEntity,
  WebhookEventEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  DriftReferenceEntity,
  DriftReportEntity,
  EvaluationSetEntity,
  EvaluationSetItemEntity,
  EvaluationEntity,
  RetrainingRequestEntity,
  ExperimentEntity,
  ExperimentDecisionEntity,
  ExperimentArmErrorsEntity,
  ApiKeyEntity,
  CalibrationEntity,
  PerformanceEstimateEntity,
  EstimatedDropAlertEntity,
  LabelCoverageEntity,
  EnsembleMemberEntity,
  ModelVariantEntity,
  QuantizationJobEntity,
  LeaderboardEntity,
];
