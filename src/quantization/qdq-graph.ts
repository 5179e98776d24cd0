import { DomainError } from '../common/domain-error';
import {
  attribute,
  DataType,
  defaultOpset,
  floatTensor,
  floatValues,
  int32Tensor,
  int8Tensor,
  intAttribute,
  isExternal,
  ModelProto,
  NodeProto,
  TensorProto,
  uint8Tensor,
} from './onnx-model';
import { ActivationParams, ActivationType, activationParams, quantizeBias, quantizeWeights } from './quant-params';

/** QuantizeLinear with a per-channel `axis` exists from opset 13. */
export const MIN_QDQ_OPSET = 13;

export interface PlannedNode {
  node: NodeProto;
  weight: TensorProto;
  /** The weight axis that indexes output channels. */
  axis: number;
  bias?: TensorProto;
}

export interface QuantizationPlan {
  nodes: PlannedNode[];
  /** Activation tensors to calibrate: inputs and outputs of quantized nodes, graph outputs excluded. */
  activations: string[];
  /** Op types left in FP32 (with how many nodes), and why a weight-bearing node was skipped. */
  fp32Ops: Record<string, number>;
  skipped: Array<{ node: string; opType: string; reason: string }>;
}

export interface WeightReport {
  node: string;
  weight: string;
  axis: number;
  scales: number[];
}

export interface ActivationReport {
  tensor: string;
  min: number;
  max: number;
  scale: number;
  zeroPoint: number;
}

const WEIGHT_OPS = new Set(['Conv', 'Gemm', 'MatMul']);

function weightAxis(node: NodeProto, weight: TensorProto): number | string {
  const rank = weight.dims?.length ?? 0;
  if (node.opType === 'Conv') return rank >= 3 ? 0 : 'the weight is not a convolution kernel';
  if (rank !== 2) return `the weight has rank ${rank}; only 2-D weights are quantized per channel`;
  // Gemm computes A * B' with transB = 1: output channels are B's rows; MatMul's [K, N]: its columns.
  return node.opType === 'Gemm' && attribute(node, 'transB')?.i === 1 ? 0 : 1;
}

function biasUsable(node: NodeProto): boolean {
  // Integer kernels add the bias at scale sx * sw; Gemm's alpha/beta would change that relation.
  const scaled = ['alpha', 'beta'].some((name) => (attribute(node, name)?.f ?? 1) !== 1);
  return node.opType !== 'MatMul' && !scaled;
}

/** Which nodes get INT8 weights and which activations need calibration ranges. */
export function planQuantization(model: ModelProto): QuantizationPlan {
  const opset = defaultOpset(model);
  if (opset < MIN_QDQ_OPSET) {
    throw new DomainError(
      'unprocessable',
      'opset_too_old',
      `the model imports opset ${opset}; QDQ quantization with per-channel weights needs opset ${MIN_QDQ_OPSET} or later`,
      { opset, minimum: MIN_QDQ_OPSET },
    );
  }
  const graph = model.graph;
  const initializers = new Map(graph.initializer.map((t) => [t.name!, t]));
  const outputs = new Set(graph.output.map((o) => o.name));
  const plan: QuantizationPlan = { nodes: [], activations: [], fp32Ops: {}, skipped: [] };
  const activations = new Set<string>();
  for (const node of graph.node) {
    const weight = initializers.get(node.input[1] ?? '');
    const reason = !WEIGHT_OPS.has(node.opType)
      ? null
      : !weight || weight.dataType !== DataType.FLOAT || isExternal(weight)
        ? 'its weight is not a float initializer in the file'
        : weightAxis(node, weight);
    if (typeof reason !== 'number') {
      plan.fp32Ops[node.opType] = (plan.fp32Ops[node.opType] ?? 0) + 1;
      if (reason) plan.skipped.push({ node: node.name ?? '', opType: node.opType, reason });
      continue;
    }
    const bias = biasUsable(node) ? initializers.get(node.input[2] ?? '') : undefined;
    plan.nodes.push({
      node,
      weight: weight!,
      axis: reason,
      bias: bias?.dataType === DataType.FLOAT ? bias : undefined,
    });
    activations.add(node.input[0]);
    if (!outputs.has(node.output[0])) activations.add(node.output[0]);
  }
  plan.activations = [...activations];
  return plan;
}

/** A copy of the model whose outputs also include the tensors to calibrate. */
export function calibrationCopy(model: ModelProto, tensors: string[]): ModelProto {
  const graph = model.graph;
  const existing = new Set(graph.output.map((o) => o.name));
  const added = tensors
    .filter((t) => !existing.has(t))
    .map((name) => ({ name, type: { tensorType: { elemType: DataType.FLOAT } } }));
  return { ...model, graph: { ...graph, output: [...graph.output, ...added] } };
}

export interface QdqResult {
  model: ModelProto;
  weights: WeightReport[];
  activations: ActivationReport[];
}

/**
 * Rewrites the graph in the QDQ format: every calibrated activation t becomes
 * t -> QuantizeLinear -> DequantizeLinear -> (all former consumers of t); every planned weight
 * becomes an int8 initializer read through a per-channel DequantizeLinear, its bias an int32 one.
 * onnxruntime fuses DQ -> Conv -> Q groups into integer kernels; the file stays a plain ONNX graph.
 */
export function quantizeGraph(
  model: ModelProto,
  plan: QuantizationPlan,
  ranges: Map<string, { min: number; max: number }>,
  type: ActivationType,
): QdqResult {
  const graph = { ...model.graph, node: model.graph.node.map((n) => ({ ...n, input: [...n.input] })) };
  const added: TensorProto[] = [];
  const nodesOut: NodeProto[] = [];
  const activationParamsOf = new Map<string, ActivationParams>();
  const activations: ActivationReport[] = [];
  for (const tensor of plan.activations) {
    const range = ranges.get(tensor);
    if (!range) throw new Error(`no calibration range for ${tensor}`);
    const params = activationParams(range.min, range.max, type);
    activationParamsOf.set(tensor, params);
    activations.push({ tensor, ...range, ...params });
  }
  const weights: WeightReport[] = [];
  const replacedWeights = new Set<string>();
  const plannedByName = new Map(plan.nodes.map((p) => [p.node, p]));
  for (const original of model.graph.node) {
    const node = graph.node[model.graph.node.indexOf(original)];
    const planned = plannedByName.get(original);
    if (planned) {
      const input = activationParamsOf.get(node.input[0])!;
      const w = quantizeWeights(floatValues(planned.weight), planned.weight.dims!, planned.axis);
      const wName = planned.weight.name!;
      added.push(
        int8Tensor(`${wName}_quantized`, planned.weight.dims!, w.values),
        floatTensor(`${wName}_scale`, [w.scales.length], w.scales),
        int8Tensor(`${wName}_zero_point`, [w.scales.length], new Int8Array(w.scales.length)),
      );
      nodesOut.push(dequantize(`${wName}_quantized`, `${wName}_scale`, `${wName}_zero_point`, planned.axis));
      node.input[1] = `${wName}_dequantized`;
      replacedWeights.add(wName);
      weights.push({ node: node.name ?? '', weight: wName, axis: planned.axis, scales: [...w.scales] });
      if (planned.bias) {
        const bName = `${planned.bias.name!}_${node.name ?? nodesOut.length}`;
        const b = quantizeBias(floatValues(planned.bias), input.scale, w.scales);
        added.push(
          int32Tensor(`${bName}_quantized`, [b.values.length], b.values),
          floatTensor(`${bName}_scale`, [b.scales.length], b.scales),
          int32Tensor(`${bName}_zero_point`, [b.values.length], new Int32Array(b.values.length)),
        );
        nodesOut.push(dequantize(`${bName}_quantized`, `${bName}_scale`, `${bName}_zero_point`, 0));
        node.input[2] = `${bName}_dequantized`;
        replacedWeights.add(planned.bias.name!);
      }
    }
    nodesOut.push(node);
  }
  for (const [tensor, params] of activationParamsOf) {
    const zp =
      type === 'uint8'
        ? uint8Tensor(`${tensor}_zero_point`, [], Uint8Array.of(params.zeroPoint))
        : int8Tensor(`${tensor}_zero_point`, [], Int8Array.of(params.zeroPoint));
    added.push(floatTensor(`${tensor}_scale`, [], Float32Array.of(params.scale)), zp);
    for (const node of nodesOut) node.input = node.input.map((i) => (i === tensor ? `${tensor}_dequantized` : i));
    nodesOut.push(
      {
        name: `${tensor}_QuantizeLinear`,
        opType: 'QuantizeLinear',
        input: [tensor, `${tensor}_scale`, `${tensor}_zero_point`],
        output: [`${tensor}_quantized`],
      },
      dequantize(`${tensor}_quantized`, `${tensor}_scale`, `${tensor}_zero_point`),
    );
  }
  const stillUsed = new Set(nodesOut.flatMap((n) => n.input));
  const kept = graph.initializer.filter((t) => !replacedWeights.has(t.name!) || stillUsed.has(t.name!));
  graph.node = topologicalOrder(nodesOut, [
    ...graph.input.map((i) => i.name),
    ...kept.map((t) => t.name!),
    ...added.map((t) => t.name!),
  ]);
  graph.initializer = [...kept, ...added];
  graph.input = graph.input.filter((i) => !replacedWeights.has(i.name) || stillUsed.has(i.name));
  return { model: { ...model, graph }, weights, activations };
}

function dequantize(input: string, scale: string, zeroPoint: string, axis?: number): NodeProto {
  const base = input.replace(/_quantized$/, '');
  return {
    name: `${base}_DequantizeLinear`,
    opType: 'DequantizeLinear',
    input: [input, scale, zeroPoint],
    output: [`${base}_dequantized`],
    ...(axis === undefined ? {} : { attribute: [intAttribute(axis)] }),
  };
}

/** ONNX requires nodes in topological order; Q/DQ pairs were appended after their consumers. */
function topologicalOrder(nodes: NodeProto[], sources: string[]): NodeProto[] {
  // '' is an omitted optional input.
  const available = new Set<string>(['', ...sources]);
  const ordered: NodeProto[] = [];
  const pending = [...nodes];
  while (pending.length) {
    const index = pending.findIndex((n) => n.input.every((i) => available.has(i)));
    if (index < 0) throw new Error(`the graph has a cycle or a missing input near ${pending[0].name}`);
    const [node] = pending.splice(index, 1);
    node.output.forEach((o) => available.add(o));
    ordered.push(node);
  }
  return ordered;
}
