import { DomainError } from '../common/domain-error';

export const unprocessable = (code: string, message: string) => new DomainError('unprocessable', code, message);
