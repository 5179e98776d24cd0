export * from './calibration';
export * from './estimate';
export * from './isotonic';
