export * from './assignment';
export * from './confidence-sequence';
export * from './decision-rule';
export * from './distributions';
export * from './paired-and-ratio';
export * from './error-rate';
