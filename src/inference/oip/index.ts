export * from './infer-request';
export * from './infer-response';
