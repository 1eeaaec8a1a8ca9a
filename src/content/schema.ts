import { z } from 'zod';
import { QUESTIONS, type QuestionId } from '../coaching/answers.js';
import { CASES } from '../coaching/cases.js';

/** Slack's limits that content must respect once rendered. */
export const LIMITS = { section: 3000, button: 75, option: 75, modalTitle: 24, header: 150, label: 2000, placeholder: 150 } as const;

const text = (max: number = LIMITS.section) => z.string().trim().min(1, 'must not be empty').max(max);

/**
 * A strict object of plain texts: unknown keys are errors, so a typo in a content file is caught. Each text is held
 * to the limit of where it is shown: `max`, or for some keys their own (a label, an option, a button).
 */
function texts<K extends string>(keys: readonly K[], max: number = LIMITS.section, maxOf: Partial<Record<K, number>> = {}) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, text(maxOf[k] ?? max)])) as Record<K, ReturnType<typeof text>>);
}
/** The same limit for several keys. */
const each = <K extends string>(keys: readonly K[], max: number) => Object.fromEntries(keys.map((k) => [k, max])) as Record<K, number>;

const question = <Q extends QuestionId>(id: Q) =>
  z.strictObject({
    short: text(40),
    label: text(LIMITS.label),
    options: texts(QUESTIONS[id] as readonly string[] as readonly Extract<(typeof QUESTIONS)[Q][number], string>[], LIMITS.option),
  });

export const SOURCES = ['give-up-model', 'key-account-notes', 'pain-power-vision-value', 'seven-step-process', 'funnel-misleads'] as const;
export type SourceId = (typeof SOURCES)[number];

/** E, F, G and H each carry one more block of guidance; A-D do not. */
const CASES_WITH_EXTRA = new Set(['E', 'F', 'G', 'H']);

/**
 * The placeholders each message may use, as the code fills them; any other `{name}` in a content file is a typo
 * that would reach users as written. A text not listed here takes none.
 */
const PLACEHOLDERS: Record<string, Record<string, readonly string[]>> = {
  help: { unknown: ['word'] },
  deal_step: { more_deals: ['shown', 'count'], closed_namesake: ['deal', 'status'], did_you_mean: ['name', 'names'] },
  axes_step: { intro: ['deal'], details_hint: ['deal'] },
  notes_step: { intro: ['deal'], ask_like: ['question'] },
  result: { case_title: ['case', 'verdict'], too_early: ['reason', 'axes'], too_early_stop: ['axes', 'case'], later_actions_heading: ['case'], axis_line: ['axis', 'level', 'factors'], factor_ok: ['question', 'answer'], factor_missing: ['question', 'answer', 'needed'], move_change: ['question', 'needed'], move_line: ['changes', 'from', 'to', 'to_verdict'], dm_intro: ['deal'], dm_failed: ['deal'], shared_intro: ['user', 'deal', 'date'] },
  list: { title: ['count'], line: ['deal', 'case', 'verdict', 'assessed'], assessed: ['when'], more: ['count'] },
  show: { title: ['deal'], meta: ['details'], trend: ['trend'], entry: ['date', 'case', 'verdict'], no_assessments: ['deal'], older_hidden: ['count'] },
  close: { done: ['deal', 'status'], already_closed: ['deal'], reason_too_long: ['max'] },
  share: { done: ['deal', 'channel'] },
  home: { line: ['deal', 'case', 'verdict', 'assessed'], more: ['count'] },
  team: { added: ['users'], already: ['users'], not_told: ['users'], told_added: ['manager'], told_left: ['report'], report_left: ['user'], removed: ['users'], not_on_team: ['users'], left: ['users'], not_their_report: ['users'], still_read: ['users'], managers: ['users'], list_title: ['count'], not_manager: ['user'], report_list_title: ['user', 'count'], report_list_empty: ['user'], read_only: ['user'], left_before: ['users'], deactivated: ['users'], joined: ['users'], not_left: ['users'], told_joined: ['report'] },
  settings: { workspace_readonly: ['tips', 'digest_day', 'digest_time', 'timezone', 'stall_days'], tips_on: ['channel', 'tip_day', 'tip_time'] },
  nudge: { stalled: ['deal', 'days', 'case'], giveup: ['deal', 'case', 'verdict', 'days'], snoozed: ['deal', 'date'], fact: ['fact'] },
  digest: { report_heading: ['user', 'count'], by_case: ['case', 'verdict', 'deals'], changes: ['changes'], stalled: ['days', 'deals'], let_go: ['deals'], closest: ['deals'], more: ['count'], left_out: ['users'], suggestion: ['text'] },
  tip: { header: ['title'], try: ['action'], source: ['source'] },
  admin: { failures_title: ['count'], failure_line: ['when', 'kind', 'channel', 'reason'], not_in_channel: ['channel'], channel_hidden: ['channel'], channel_gone: ['channel'] },
  errors: { duplicate_name_dm: ['name'], not_found: ['name'], not_found_suggest: ['name', 'names'], not_found_team: ['name'], not_found_team_suggest: ['name', 'names'], duplicate_name: ['name'], duplicate_name_save_again: ['name'], too_long: ['max'], bad_value_whole: ['currency'], deal_closed: ['deal'], deal_closed_save_again: ['deal'], not_saved: ['deal', 'reason'] },
};

/** Flags, per text, a placeholder the code does not fill. */
function checkPlaceholders(messages: Record<string, Record<string, string>>, ctx: z.RefinementCtx): void {
  for (const [group, texts] of Object.entries(messages)) {
    for (const [key, value] of Object.entries(texts)) {
      const allowed = PLACEHOLDERS[group]?.[key] ?? [];
      for (const [, name] of value.matchAll(/\{(\w+)\}/g)) {
        if (allowed.includes(name!)) continue;
        const can = allowed.length ? `this text can use ${allowed.map((a) => `{${a}}`).join(', ')}` : 'this text takes none';
        ctx.addIssue({ code: 'custom', path: [group, key], message: `unknown placeholder {${name}}: ${can}` });
      }
    }
  }
}

/**
 * One schema per file in `prompts/<locale>/`; the file name is the key. Made by a call, for the loader alone:
 * content is checked once, at start-up, and the thousands of objects behind these schemas, if kept for the life
 * of the process, would only lengthen every full garbage collection while requests wait on it.
 */
export function fileSchemas() {
  const questionsFile = z.strictObject({
    questions: z.strictObject({
      budget: question('budget'),
      authority: question('authority'),
      need: question('need'),
      timing: question('timing'),
      relationship: question('relationship'),
      competitors: question('competitors'),
      time_on_deal: question('time_on_deal'),
      tried_all: question('tried_all'),
    }),
    notes: texts(['situation', 'problem', 'implication', 'need_payoff', 'next_step'], LIMITS.label),
  });

  const caseAdvice = z.strictObject({
    verdict: text(24),
    headline: text(LIMITS.header),
    situation: text(300),
    why: text(500),
    actions: z.array(text(200)).length(3),
    stop_when: text(300),
    extra: z.strictObject({ title: text(80), items: z.array(text(200)).min(3).max(6) }).optional(),
  });

  const adviceFile = z.strictObject({
    cases: z
      .strictObject(Object.fromEntries(CASES.map((c) => [c, caseAdvice])) as Record<(typeof CASES)[number], typeof caseAdvice>)
      .superRefine((cases, ctx) => {
        for (const [code, advice] of Object.entries(cases)) {
          if (CASES_WITH_EXTRA.has(code) !== Boolean(advice.extra)) {
            ctx.addIssue({ code: 'custom', path: [code, 'extra'], message: CASES_WITH_EXTRA.has(code) ? 'is required' : 'is not expected' });
          }
        }
      }),
  });

  const tip = z.strictObject({
    source: z.enum(SOURCES),
    title: text(80),
    body: text(500),
    action: text(250),
  });

  const tipsFile = z.strictObject({
    tips: z.record(z.string().regex(/^t\d{2,3}$/, 'tip ids look like t01'), tip).refine((t) => Object.keys(t).length >= 52, 'needs at least 52 tips'),
  });

  const spinKind = z.strictObject({ hint: text(150), questions: z.array(text(150)).min(3).max(5) });
  const bank = (min: number, max: number) => z.array(text(150)).min(min).max(max);

  const spinFile = z.strictObject({
    spin: z.strictObject({
      situation: spinKind,
      problem: spinKind,
      implication: spinKind,
      need_payoff: spinKind,
      cautions: z.array(text(200)).length(5),
    }),
    question_bank: z.strictObject({
      pain: bank(5, 6),
      power: bank(5, 6),
      vision: bank(5, 6),
      value: bank(5, 6),
      collaboration: bank(5, 6),
      map_every_deal: bank(5, 5),
      sideways: bank(6, 7),
    }),
  });

  const coachingFile = z.strictObject({
    follow_up_facts: z.array(text(200)).min(6).max(8),
    team_suggestions: texts(['many_give_up', 'many_nurture', 'many_fight', 'many_keep_going', 'no_assessments', 'balanced'], 300),
  });

  const messagesFile = z.strictObject({
    help: texts(['title', 'body', 'unknown', 'in_dm']),
    verdicts: texts(['give_up', 'nurture', 'drop', 'fight', 'keep_going'], 24),
    axes: texts(['capability', 'need', 'trust'], LIMITS.button),
    levels: texts(['high', 'low'], 24),
    // Kept as written, spaces included (a text is trimmed): ", " and " " in English, "、" and "" in Chinese.
    punctuation: z.strictObject({ list_separator: z.string().min(1).max(3), sentence_separator: z.string().max(2) }),
    sources: texts(SOURCES, LIMITS.header),
    modal: texts(['title_deal', 'title_axes', 'title_notes', 'title_result', 'title_history', 'title_close', 'title_share', 'next', 'save', 'cancel', 'done'], LIMITS.modalTitle),
    deal_step: texts(['pick_label', 'pick_placeholder', 'new_deal_option', 'or_new', 'details_hint', 'name_label', 'customer_label', 'value_label', 'currency_label', 'close_date_label', 'more_deals', 'closed_namesake', 'did_you_mean'], LIMITS.section, {
      ...each(['pick_label', 'name_label', 'customer_label', 'value_label', 'currency_label', 'close_date_label'], LIMITS.label),
      pick_placeholder: LIMITS.placeholder,
      new_deal_option: LIMITS.option,
    }),
    axes_step: texts(['intro', 'effort_heading', 'details_hint']),
    notes_step: texts(['intro', 'ask_like']),
    result: texts(['case_title', 'too_early', 'too_early_new', 'too_early_untried', 'too_early_stop', 'why_heading', 'axis_line', 'factor_ok', 'factor_missing', 'moves_heading', 'move_change', 'move_line', 'no_moves', 'actions_heading', 'later_actions_heading', 'stop_heading', 'dm_intro', 'dm_failed', 'shared_intro']),
    // Share is also the share form's submit button.
    buttons: texts(['reassess', 'history', 'share', 'close', 'assess'], LIMITS.button, { share: LIMITS.modalTitle }),
    list: texts(['title', 'empty', 'line', 'never_assessed', 'assessed', 'too_early_verdict', 'more']),
    show: texts(['title', 'meta', 'trend', 'entry', 'no_assessments', 'older_hidden', 'status_open', 'status_won', 'status_lost', 'status_dropped']),
    close: texts(['done', 'already_closed', 'reason_too_long', 'status_label', 'reason_label'], LIMITS.section, each(['status_label', 'reason_label'], LIMITS.label)),
    share: texts(['channel_label', 'done', 'maybe_posted'], LIMITS.section, { channel_label: LIMITS.label }),
    home: texts(['title', 'intro', 'empty', 'line', 'more']),
    team: texts(['added', 'already', 'not_told', 'told_added', 'told_left', 'report_left', 'removed', 'not_on_team', 'left', 'not_their_report', 'still_read', 'managers', 'not_in_team', 'list_title', 'empty', 'usage', 'no_mentions', 'self', 'not_manager', 'report_list_title', 'report_list_empty', 'read_only', 'left_before', 'deactivated', 'joined', 'not_left', 'told_joined', 'guest', 'guest_unknown', 'paused']),
    settings: texts(['personal_heading', 'mute_label', 'mute_option', 'unsnooze_option', 'snooze_label', 'language_label', 'language_auto', 'workspace_heading', 'workspace_readonly', 'tips_on', 'tips_off', 'tip_channel_label', 'no_tips_label', 'no_tips_option', 'tip_day_label', 'tip_time_label', 'timezone_label', 'workspace_language_label', 'tip_language_label', 'tip_language_auto', 'stall_days_label', 'digest_day_label', 'digest_time_label', 'coach_admins_label', 'saved', 'refused', 'bad_time', 'bad_timezone', 'bad_channel', 'channel_unchecked', 'bad_days'], LIMITS.section, {
      ...each(['mute_label', 'snooze_label', 'language_label', 'tip_channel_label', 'no_tips_label', 'tip_day_label', 'tip_time_label', 'timezone_label', 'workspace_language_label', 'tip_language_label', 'stall_days_label', 'digest_day_label', 'digest_time_label', 'coach_admins_label'], LIMITS.label),
      ...each(['mute_option', 'unsnooze_option', 'language_auto', 'no_tips_option', 'tip_language_auto'], LIMITS.option),
    }),
    settings_title: texts(['title'], LIMITS.modalTitle),
    weekdays: texts(['1', '2', '3', '4', '5', '6', '7'], LIMITS.option),
    languages: texts(['en', 'vi', 'zh-CN', 'th'], LIMITS.option),
    nudge: texts(['stalled', 'never_assessed', 'giveup', 'snoozed', 'fact', 'nurture']),
    nudge_buttons: texts(['reassess', 'snooze', 'close'], LIMITS.button),
    digest: texts(['title', 'report_heading', 'by_case', 'changes', 'stalled', 'let_go', 'closest', 'more', 'left_out', 'suggestion', 'nothing', 'no_deals']),
    tip: texts(['header', 'try', 'source']),
    admin: texts(['failures_title', 'failure_line', 'no_failures', 'not_in_channel', 'channel_hidden', 'channel_gone', 'refused']),
    outbox_kinds: texts(['tip', 'nudge', 'giveup', 'digest', 'notice'], LIMITS.option),
    errors: texts([
      'generic',
      'not_found',
      'not_found_suggest',
      'not_found_team',
      'not_found_team_suggest',
      'deal_gone',
      'modal_failed',
      'modal_unsure',
      'pick_or_name',
      'pick_and_name',
      'duplicate_name',
      'duplicate_name_save_again',
      'duplicate_name_dm',
      'too_long',
      'bad_value',
      'bad_value_whole',
      'currency_needed',
      'bad_date',
      'required',
      'deal_closed',
      'deal_closed_save_again',
      'not_saved',
      'usage_show',
      'usage_list',
      'usage_close',
      'not_in_channel',
      'channel_gone',
      'channel_restricted',
    ]),
  }).superRefine(checkPlaceholders);

  return {
    questions: questionsFile,
    messages: messagesFile,
    advice: adviceFile,
    tips: tipsFile,
    spin: spinFile,
    coaching: coachingFile,
  } as const;
}

type FileSchemas = ReturnType<typeof fileSchemas>;
export type ContentFile = keyof FileSchemas;
export type LocaleContent = { [F in ContentFile]: z.infer<FileSchemas[F]> };
export type Tip = LocaleContent['tips']['tips'][string];
