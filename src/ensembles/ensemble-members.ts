import { DomainError } from '../common/domain-error';
import type { InputSpec } from '../inference/runtime/types';
import type { ModelVersionEntity } from '../models/model-version.entity';

const unprocessable = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('unprocessable', code, message, details);

/**
 * Members answer the same preprocessed tensor with the same classes: same labels (same order) and
 * the same input spec (how logits or probabilities come out may differ). Live, plain versions only.
 */
export function checkMembers(members: ModelVersionEntity[]): void {
  for (const member of members) {
    if (member.role === 'retired')
      throw unprocessable('ensemble_member_retired', `version ${member.version} is retired; members must be live`);
    if (member.ensembleVoting)
      throw unprocessable(
        'ensemble_member_is_ensemble',
        `version ${member.version} is an ensemble; nesting is not supported`,
      );
  }
  const [first, ...rest] = members;
  for (const member of rest) {
    if (JSON.stringify(member.labels) !== JSON.stringify(first.labels))
      throw unprocessable(
        'ensemble_labels_differ',
        `versions ${first.version} and ${member.version} have different labels; members must share labels in the same order`,
      );
    if (specKey(member.inputSpec) !== specKey(first.inputSpec))
      throw unprocessable(
        'ensemble_input_specs_differ',
        `versions ${first.version} and ${member.version} have different input specs; members must share one preprocessing`,
        { [first.version]: first.inputSpec, [member.version]: member.inputSpec },
      );
  }
}

function specKey(spec: InputSpec): string {
  const { layout, channels, height, width, scale, mean, std } = spec;
  return JSON.stringify([layout, channels, height, width, scale, mean, std]);
}
