export * from './encode-response';
export * from './infer-body';
export * from './infer-request';
export * from './infer-response';
export * from './requested-outputs';
export * from './tensor-data';
