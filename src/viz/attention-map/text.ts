/**
 * The sentences of `<attention-map>`: its status line (what is drawn, and where the weights
 * were computed) and the tooltip of the hovered cell.
 */
import { MASK_DATA, MASK_WINDOW, displayValues, maskName, type AttentionMapModel } from './data';
import type { Hover } from './draw';

/** What the status line needs besides the model. */
export interface StatusState {
  /** A computation is running. */
  pending: boolean;
  /** Why the CPU reference ran (null: no reason given). */
  cpuReason: string | null;
  /** There is an input, or an attribute error to show instead: no "no data" hint. */
  hasInputOrError: boolean;
}

/** The status line: heads × queries × keys and where the weights come from, or what is missing. */
export function statusText(model: AttentionMapModel | null, state: StatusState): string {
  if (state.pending && !model) return 'computing…';
  if (!model) return state.hasInputOrError ? '' : 'no data: set the data property, the data attribute or a pattern';
  const where =
    model.source === 'gpu'
      ? 'weights computed on the GPU by the attention-map kernel'
      : model.source === 'cpu'
        ? `weights computed by the float64 CPU reference: ${state.cpuReason ?? 'no GPU'}`
        : 'ready weights given as data';
  const scale = model.scale === null ? '' : `, scale ${model.scale.toPrecision(3)}`;
  const gqa =
    model.kvHeads < model.H
      ? ` (grouped-query: ${model.kvHeads} key head${model.kvHeads > 1 ? 's' : ''}, each shared by ${model.H / model.kvHeads})`
      : '';
  return `${model.H} head${model.H > 1 ? 's' : ''}${gqa} × ${model.Nq} queries × ${model.Nk} keys; ${where}${scale}${state.pending ? ' (updating…)' : ''}`;
}

/** The tooltip of the hovered cell: head, query and key (with their tokens), and the value or why it is masked. */
export function hoverText(model: AttentionMapModel, hv: Hover, mode: 'weights' | 'logits'): string {
  const c = hv.i * model.Nk + hv.j;
  const m = model.mask[c]!;
  const v = displayValues(model, hv.head, mode)[c]!;
  const what = m
    ? `masked (${m === MASK_DATA ? 'data mask' : m === MASK_WINDOW ? 'outside the sliding window' : maskName(m)})`
    : `${mode === 'logits' ? 'logit' : 'weight'} ${v.toPrecision(4)}`;
  return `${model.headNames[hv.head]} · query ${hv.i} “${model.queryLabels[hv.i]}” → key ${hv.j} “${model.keyLabels[hv.j]}”: ${what}`;
}
