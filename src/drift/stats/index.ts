export * from './alert-rule';
export * from './bin-edges';
export * from './chi-square';
export * from './defaults';
export * from './divergence';
export * from './drift-decision';
export * from './null-distribution';
export { rebin } from './rebin';
