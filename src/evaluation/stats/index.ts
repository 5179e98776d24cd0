export * from './confusion';
export * from './intervals';
export * from './iso-week';
export * from './normal-quantile';
export * from './retraining-rule';
