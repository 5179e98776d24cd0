import { ModelVersionEntity } from '../../models/model-version.entity';
import { HistogramCountEntity } from '../../monitoring/histogram-count.entity';
import { FeedbackEntity } from '../../feedback/feedback.entity';
import { PredictionEntity } from '../../predictions/prediction.entity';

/** Every entity, registered in one place for the app, the worker and the CLI. */
export const entities = [ModelVersionEntity, PredictionEntity, FeedbackEntity, HistogramCountEntity];
