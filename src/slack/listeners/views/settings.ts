import { z } from 'zod';
import type { Owner } from '../../../db/repositories/deals.js';
import { getUserSettings, getWorkspaceSettings, saveWorkspaceSettings, updateUserSettings, type WorkspaceSettings } from '../../../db/repositories/settings.js';
import { isValidTimeZone, localDate } from '../../../jobs/local-time.js';
import type { Tell } from '../../assessment-flow.js';
import type { AppDeps } from '../../deps.js';
import type { ListenerRouter } from '../router.js';
import { field, selectedOf, textOf, ticked, type FieldErrors, type StateValues } from '../../parse/view-state.js';
import { ROLE_WAIT_MS, workspaceRole } from '../../permissions.js';
import { modalNotOpened, noClearAnswer } from '../../slack-errors.js';
import { NO_TIPS, SETTINGS_CALLBACK, UNSNOOZE, settingsModal } from '../../views/settings.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const weekday = z.coerce.number().int().min(1).max(7);

async function coachAdmins(deps: AppDeps, teamId: string): Promise<string[]> {
  return (await deps.db.selectFrom('coach_admins').select('user_id').where('team_id', '=', teamId).execute()).map((r) => r.user_id);
}

/** Opens the settings modal, with the workspace part editable only for those allowed to change it. */
export async function openSettings(deps: AppDeps, triggerId: string, owner: Owner, tell: Tell): Promise<void> {
  // Both may ask Slack: side by side, and the role within its own wait, so that views.open goes out in time.
  const [{ c, f }, role] = await Promise.all([deps.readerFor(owner.teamId, owner.userId), workspaceRole(deps.db, deps.fastClient, owner.teamId, owner.userId, deps.now(), ROLE_WAIT_MS)]);
  const view = settingsModal(c, {
    locales: deps.content.locales,
    user: await getUserSettings(deps.db, owner.teamId, owner.userId),
    workspace: await getWorkspaceSettings(deps.db, owner.teamId),
    coachAdmins: await coachAdmins(deps, owner.teamId),
    role,
    today: localDate(f.now, f.timeZone),
    timeZone: f.timeZone,
  });
  await deps.fastClient.views.open({ trigger_id: triggerId, view }).catch((err) => {
    deps.logger.warn('the settings modal could not open', err);
    return tell(modalNotOpened(c, err));
  });
}

/**
 * Whether the bot can post in a channel: it must exist and the bot must be a member. 'unchecked' when Slack did not
 * say (a rate limit, a timeout, a 5xx, an error of its own): the admin is asked to save again rather than told to invite the bot.
 */
async function channelUsable(deps: AppDeps, channel: string): Promise<'usable' | 'unusable' | 'unchecked'> {
  try {
    const info = await deps.fastClient.conversations.info({ channel });
    return info.channel?.is_member && !info.channel.is_archived ? 'usable' : 'unusable';
  } catch (err) {
    return noClearAnswer(err) ? 'unchecked' : 'unusable';
  }
}

export function register(router: ListenerRouter, deps: AppDeps): void {
  router.view(SETTINGS_CALLBACK, async ({ ack, body, view, logger }) => {
    const owner = { teamId: body.team?.id ?? view.team_id, userId: body.user.id };
    const values = view.state.values as StateValues;
    const now = deps.now();
    // Workspace fields are only in the modal of those allowed to change them; a forged submission is refused.
    const workspaceSubmitted = 'tip_day' in values;
    const noTips = ticked(values, 'no_tips', NO_TIPS);
    const channel = noTips ? null : selectedOf(values, 'tip_channel');
    const current = workspaceSubmitted ? await getWorkspaceSettings(deps.db, owner.teamId) : undefined;
    // Only a newly picked channel is checked: a tip channel the bot has since left is the admins' notice's business
    // (admin-notices.ts), and must not stop an admin changing, say, the digest time.
    const newChannel = channel !== null && channel !== current?.tip_channel_id;
    // Both checks ask Slack, each within the client's timeout. They start at once, beside each other and beside
    // reading the person's language, so that a slow Slack still gets its answer inside its 3 seconds.
    const checks = current
      ? Promise.all([workspaceRole(deps.db, deps.fastClient, owner.teamId, owner.userId, now), newChannel ? channelUsable(deps, channel) : ('usable' as const)])
      : undefined;
    checks?.catch(() => undefined);
    const { c } = await deps.readerFor(owner.teamId, owner.userId);
    const s = c.messages.settings;
    try {
      const errors: FieldErrors = {};
      const language = selectedOf(values, 'language');
      const personal = {
        mute_nudges: ticked(values, 'mute', 'mute') ? 1 : 0,
        snooze_until: ticked(values, 'mute', UNSNOOZE) ? null : selectedOf(values, 'snooze_until'),
        // AUTO, like anything that is not one of our languages, leaves it to Slack's.
        language: language && deps.content.locales.includes(language) ? language : null,
      };

      let workspace: WorkspaceSettings | undefined;
      let namesCoachAdmins = false;
      if (checks) {
        const [role, usable] = await checks;
        // A coach admin's modal has no list of coach admins: one submitted anyway is refused like any forged field.
        if (!role || (role === 'coach' && 'coach_admins' in values)) return void (await ack({ response_action: 'errors', errors: { tip_channel: s.refused } }));
        // Only a modal that showed the list can change it: one opened while Slack was slow to say who is an admin has none.
        namesCoachAdmins = role === 'admin' && 'coach_admins' in values;
        const tipTime = selectedOf(values, 'tip_time') ?? '';
        const digestTime = selectedOf(values, 'digest_time') ?? '';
        const timezone = textOf(values, 'timezone') ?? '';
        const stallDays = Number(textOf(values, 'stall_days'));
        if (!HHMM.test(tipTime)) errors.tip_time = s.bad_time;
        if (!HHMM.test(digestTime)) errors.digest_time = s.bad_time;
        if (!isValidTimeZone(timezone)) errors.timezone = s.bad_timezone;
        if (!Number.isInteger(stallDays) || stallDays < 1 || stallDays > 365) errors.stall_days = s.bad_days;
        if (usable !== 'usable') errors.tip_channel = usable === 'unusable' ? s.bad_channel : s.channel_unchecked;
        const workspaceLanguage = selectedOf(values, 'workspace_language');
        const tipLanguage = selectedOf(values, 'tip_language');
        workspace = {
          ...current!,
          tip_channel_id: channel,
          tip_weekday: weekday.catch(1).parse(selectedOf(values, 'tip_day')),
          tip_time: tipTime,
          timezone,
          language: workspaceLanguage && deps.content.locales.includes(workspaceLanguage) ? workspaceLanguage : 'en',
          tip_channel_language: tipLanguage && deps.content.locales.includes(tipLanguage) ? tipLanguage : null,
          stall_days: stallDays,
          digest_weekday: weekday.catch(1).parse(selectedOf(values, 'digest_day')),
          digest_time: digestTime,
          updated_by: owner.userId,
        };
      }
      if (Object.keys(errors).length) return void (await ack({ response_action: 'errors', errors }));

      await deps.db.transaction().execute(async (trx) => {
        await updateUserSettings(trx, owner.teamId, owner.userId, personal, now);
        if (!workspace) return;
        await saveWorkspaceSettings(trx, workspace, now);
        if (!namesCoachAdmins) return;
        const admins = field(values, 'coach_admins')?.selected_users ?? [];
        await trx.deleteFrom('coach_admins').where('team_id', '=', owner.teamId).execute();
        if (admins.length) await trx.insertInto('coach_admins').values(admins.map((user_id) => ({ team_id: owner.teamId, user_id, added_by: owner.userId, created_at: now.toISOString() }))).execute();
      });
      deps.readerFor.forget(owner.teamId, workspace ? undefined : owner.userId);
      await ack();
      const after = await deps.readerFor(owner.teamId, owner.userId);
      await deps.client.chat.postMessage({ channel: owner.userId, text: after.c.messages.settings.saved }).catch((err) => logger.warn('settings confirmation failed', err));
    } catch (err) {
      logger.error('saving settings failed', err);
      await ack({ response_action: 'errors', errors: { language: c.messages.errors.generic } });
    }
  });
}
