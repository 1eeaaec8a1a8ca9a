import type { ModalView } from '@slack/types';
import { fill } from '../../content/load.js';
import type { LocaleContent } from '../../content/schema.js';
import type { UserSettings, WorkspaceSettings } from '../../db/repositories/settings.js';
import type { WorkspaceRole } from '../permissions.js';
import { context, divider, option, plain, section, type AnyBlock } from './blocks.js';

export const SETTINGS_CALLBACK = 'deal_settings';
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
/** The language choice that follows Slack's (a person's) or the workspace's (the tip channel's). */
const AUTO = 'auto';
/** The box that turns the weekly tip off. */
export const NO_TIPS = 'no_tips';
/** The option, beside muting, that ends a snooze. */
export const UNSNOOZE = 'unsnooze';

function input(blockId: string, label: string, element: Record<string, unknown>, optional = true): AnyBlock {
  return { type: 'input', block_id: blockId, optional, label: plain(label, 2000), element: { action_id: blockId, ...element } } as AnyBlock;
}

function select(blockId: string, label: string, options: { text: string; value: string }[], initial: string | null, optional = true): AnyBlock {
  const opts = options.map((o) => option(o.text, o.value));
  const chosen = opts.find((o) => o.value === initial);
  return input(blockId, label, { type: 'static_select', options: opts, ...(chosen ? { initial_option: chosen } : {}) }, optional);
}

/** `/deal settings`: personal settings for everyone; workspace settings as inputs for admins, as a summary for others. */
export function settingsModal(c: LocaleContent, data: { locales: string[]; user: UserSettings | undefined; workspace: WorkspaceSettings; coachAdmins: string[]; role: WorkspaceRole; today: string; timeZone: string }): ModalView {
  const s = c.messages.settings;
  const languages = data.locales.map((l) => ({ text: (c.messages.languages as Record<string, string>)[l] ?? l, value: l }));
  const days = WEEKDAYS.map((d) => ({ text: c.messages.weekdays[d], value: d }));
  const ws = data.workspace;
  const muteOption = option(s.mute_option, 'mute');
  // Slack cannot empty a date once picked, so a snooze is ended by a choice of its own.
  const snoozed = data.user?.snooze_until && data.user.snooze_until > data.today;
  const unsnooze = snoozed ? [option(s.unsnooze_option, UNSNOOZE)] : [];
  const blocks: AnyBlock[] = [
    section(s.personal_heading),
    input('mute', s.mute_label, { type: 'checkboxes', options: [muteOption, ...unsnooze], ...(data.user?.mute_nudges ? { initial_options: [muteOption] } : {}) }),
    input('snooze_until', s.snooze_label, { type: 'datepicker', ...(data.user?.snooze_until ? { initial_date: data.user.snooze_until } : {}) }),
    // Slack cannot empty a select once chosen, so following Slack's language is a choice of its own.
    select('language', s.language_label, [{ text: s.language_auto, value: AUTO }, ...languages], data.user?.language ?? AUTO),
    divider(),
    section(s.workspace_heading),
  ];
  if (!data.role) {
    const day = (d: number) => c.messages.weekdays[String(d) as (typeof WEEKDAYS)[number]];
    blocks.push(
      context(
        fill(s.workspace_readonly, {
          tips: ws.tip_channel_id ? fill(s.tips_on, { channel: `<#${ws.tip_channel_id}>`, tip_day: day(ws.tip_weekday), tip_time: ws.tip_time }) : s.tips_off,
          digest_day: day(ws.digest_weekday),
          digest_time: ws.digest_time,
          timezone: ws.timezone,
          stall_days: ws.stall_days,
        }),
      ),
    );
  } else {
    blocks.push(
      input('tip_channel', s.tip_channel_label, { type: 'conversations_select', filter: { include: ['public', 'private'], exclude_bot_users: true }, ...(ws.tip_channel_id ? { initial_conversation: ws.tip_channel_id } : {}) }),
      // Nor can a chosen channel be emptied: turning the tip off is this box.
      input('no_tips', s.no_tips_label, { type: 'checkboxes', options: [option(s.no_tips_option, NO_TIPS)] }),
      select('tip_day', s.tip_day_label, days, String(ws.tip_weekday), false),
      input('tip_time', s.tip_time_label, { type: 'timepicker', initial_time: ws.tip_time }, false),
      // Until the workspace settings are first saved, the admin's own Slack time zone is a better guess than UTC.
      input('timezone', s.timezone_label, { type: 'plain_text_input', initial_value: Date.parse(ws.updated_at) > 0 ? ws.timezone : data.timeZone, max_length: 64 }, false),
      select('workspace_language', s.workspace_language_label, languages, ws.language, false),
      select('tip_language', s.tip_language_label, [{ text: s.tip_language_auto, value: AUTO }, ...languages], ws.tip_channel_language ?? AUTO),
      input('stall_days', s.stall_days_label, { type: 'number_input', is_decimal_allowed: false, min_value: '1', max_value: '365', initial_value: String(ws.stall_days) }, false),
      select('digest_day', s.digest_day_label, days, String(ws.digest_weekday), false),
      input('digest_time', s.digest_time_label, { type: 'timepicker', initial_time: ws.digest_time }, false),
    );
    // Coach admins are named by Slack's admins and owners only.
    if (data.role === 'admin') {
      blocks.push(input('coach_admins', s.coach_admins_label, { type: 'multi_users_select', ...(data.coachAdmins.length ? { initial_users: data.coachAdmins } : {}) }));
    }
  }
  return {
    type: 'modal',
    callback_id: SETTINGS_CALLBACK,
    title: plain(c.messages.settings_title.title, 24),
    submit: plain(c.messages.modal.save, 24),
    close: plain(c.messages.modal.cancel, 24),
    blocks,
  };
}
