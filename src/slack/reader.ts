import type { WebClient } from '@slack/web-api';
import type { Content } from '../content/load.js';
import { pickLocale } from '../content/locale.js';
import type { Db } from '../db/create-db.js';
import { getUserSettings, getWorkspaceSettings, updateUserSettings, type UserSettings } from '../db/repositories/settings.js';
import type { Reader } from './deps.js';

/** How long a cached Slack profile (time zone, locale, admin flag) is trusted. */
const PROFILE_TTL_MS = 24 * 60 * 60 * 1000;
/** A first-time user's profile lookup may not hold up a modal longer than this; it finishes in the background. */
const PROFILE_WAIT_MS = 700;

export interface ReaderDeps {
  db: Db;
  content: Content;
  now: () => Date;
  client: WebClient;
}

/** Fetches the person's Slack time zone, locale and admin flag and caches them in user_settings. */
export async function refreshProfile(deps: ReaderDeps, teamId: string, userId: string): Promise<void> {
  const res = await deps.client.users.info({ user: userId, include_locale: true }).catch((err: { data?: { error?: string } }) => {
    // A user Slack does not know is remembered as such, so we do not ask again every time.
    if (err.data?.error === 'user_not_found') return { user: undefined };
    throw err;
  });
  const user = res.user;
  await updateUserSettings(
    deps.db,
    teamId,
    userId,
    {
      slack_locale: user?.locale ?? null,
      timezone: user?.tz ?? null,
      is_admin: user?.is_admin || user?.is_owner ? 1 : 0,
      profile_refreshed_at: deps.now().toISOString(),
    },
    deps.now(),
  );
}

/** Reads the person's language and time zone: their own choice, else Slack's locale, else the workspace's, else English. */
export function createReaderFor(deps: ReaderDeps) {
  const inFlight = new Map<string, Promise<void>>();
  const fresh = (s: UserSettings | undefined) => s?.profile_refreshed_at && deps.now().getTime() - Date.parse(s.profile_refreshed_at) < PROFILE_TTL_MS;

  return async (teamId: string, userId: string): Promise<Reader> => {
    let user = await getUserSettings(deps.db, teamId, userId);
    if (!fresh(user)) {
      const key = `${teamId}:${userId}`;
      let refresh = inFlight.get(key);
      if (!refresh) {
        refresh = refreshProfile(deps, teamId, userId)
          .catch(() => undefined)
          .finally(() => inFlight.delete(key));
        inFlight.set(key, refresh);
      }
      await Promise.race([refresh, new Promise((r) => setTimeout(r, PROFILE_WAIT_MS))]);
      user = await getUserSettings(deps.db, teamId, userId);
    }
    const workspace = await getWorkspaceSettings(deps.db, teamId);
    const locale = pickLocale(deps.content.locales, [user?.language, user?.slack_locale, workspace.language]);
    return { c: deps.content.get(locale), f: { locale, timeZone: user?.timezone ?? workspace.timezone, now: deps.now() } };
  };
}
