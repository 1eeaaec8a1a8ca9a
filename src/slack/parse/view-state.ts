import { QUESTION_IDS, QUESTIONS, type Answers } from '../../coaching/answers.js';

/** Slack's `view.state.values`: block_id -> action_id -> element state. */
export type StateValues = Record<
  string,
  Record<
    string,
    {
      type: string;
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: { value: string }[];
      selected_date?: string | null;
      selected_time?: string | null;
      selected_conversation?: string | null;
      selected_users?: string[];
    }
  >
>;

/** Field errors keyed by block_id, as `response_action: errors` expects. */
export type FieldErrors = Record<string, string>;

/** The single element of an input block (our inputs use action_id = block_id). */
export function field(values: StateValues, blockId: string) {
  return values[blockId]?.[blockId];
}

export function textOf(values: StateValues, blockId: string): string | null {
  const v = field(values, blockId);
  const raw = v?.value ?? null;
  const trimmed = raw?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Whether a checkboxes input has this option ticked. */
export function ticked(values: StateValues, blockId: string, value: string): boolean {
  return (field(values, blockId)?.selected_options ?? []).some((o) => o.value === value);
}

export function selectedOf(values: StateValues, blockId: string): string | null {
  const v = field(values, blockId);
  return v?.selected_option?.value ?? v?.selected_date ?? v?.selected_time ?? v?.selected_conversation ?? null;
}

/** Reads the eight answers; each missing or unknown value becomes a field error. */
export function readAnswers(values: StateValues, requiredMessage: string): { answers?: Answers; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const answers: Record<string, string> = {};
  for (const id of QUESTION_IDS) {
    const value = selectedOf(values, id);
    if (value && (QUESTIONS[id] as readonly string[]).includes(value)) answers[id] = value;
    else errors[id] = requiredMessage;
  }
  return Object.keys(errors).length ? { errors } : { answers: answers as Answers, errors };
}
