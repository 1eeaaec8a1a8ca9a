import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Content } from '../content/load.js';
import { pickLocale } from '../content/locale.js';
import { personFor } from '../jobs/job-deps.js';
import type { Db } from '../db/create-db.js';
import { getUserSettings, getWorkspaceSettings, updateUserSettings, type UserSettings } from '../db/repositories/settings.js';
import type { Reader } from './deps.js';
import { within } from './within.js';

/** How long a cached Slack profile (time zone, locale, admin flag) is trusted. */
const PROFILE_TTL_MS = 24 * 60 * 60 * 1000;

/** Whether the cached Slack profile is from within PROFILE_TTL_MS. */
export const profileIsFresh = (s: Pick<UserSettings, 'profile_refreshed_at'> | undefined, now: Date): boolean =>
  Boolean(s?.profile_refreshed_at && now.getTime() - Date.parse(s.profile_refreshed_at) < PROFILE_TTL_MS);
/** A first-time user's profile lookup may not hold up a modal longer than this; it finishes in the background. */
const PROFILE_WAIT_MS = 700;
/** A modal flow reads the same settings several times within seconds: remember them briefly. */
const READER_TTL_MS = 5_000;

export interface ReaderDeps {
  db: Db;
  content: Content;
  now: () => Date;
  client: WebClient;
  logger: Logger;
}

/** The parts of a Slack user object we keep. */
export interface SlackUser {
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  /** A multi-channel guest. */
  is_restricted?: boolean;
  /** A single-channel guest. */
  is_ultra_restricted?: boolean;
  deleted?: boolean;
}

/**
 * What a Slack user object says that user_settings keeps: time zone, admin and guest flags, and, for someone active, that they
 * have not left. Leaving is recorded by markLeft alone, with the team changes that go with it; a user Slack does not
 * know, or one deactivated, leaves left_at as it is.
 */
export function profileColumns(user: SlackUser | undefined) {
  const back = user && !user.deleted ? { left_at: null } : {};
  // Of a user Slack does not know, whether they are a guest is not known either.
  const guest = user ? (user.is_restricted || user.is_ultra_restricted ? 1 : 0) : null;
  return { timezone: user?.tz ?? null, is_admin: user?.is_admin || user?.is_owner ? 1 : 0, is_guest: guest, ...back };
}

/** Fetches the person's Slack time zone, locale and admin flag and caches them in user_settings; returns what Slack said. */
export async function refreshProfile(deps: Pick<ReaderDeps, 'db' | 'client' | 'now'>, teamId: string, userId: string): Promise<SlackUser | undefined> {
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
    { slack_locale: user?.locale ?? null, ...profileColumns(user), profile_refreshed_at: deps.now().toISOString() },
    deps.now(),
  );
  return user;
}

export interface ReaderFor {
  /** `waitForProfile: false` never waits on Slack for a first or stale profile: for a handler whose own Slack call needs all of its 3 seconds. */
  (teamId: string, userId: string, options?: { waitForProfile?: boolean }): Promise<Reader>;
  /** Drops what is remembered about a workspace (or one person in it) after their settings change. */
  forget(teamId: string, userId?: string): void;
}

/** Reads the person's language and time zone: their own choice, else Slack's locale, else the workspace's, else English. */
export function createReaderFor(deps: ReaderDeps): ReaderFor {
  const inFlight = new Map<string, Promise<void>>();
  const remembered = new Map<string, { at: number; locale: string; timeZone: string }>();

  const readerFor = async (teamId: string, userId: string, options: { waitForProfile?: boolean } = {}): Promise<Reader> => {
    const key = `${teamId}:${userId}`;
    const hit = remembered.get(key);
    if (hit && Date.now() - hit.at < READER_TTL_MS) {
      return { c: deps.content.get(hit.locale), f: { locale: hit.locale, timeZone: hit.timeZone, now: deps.now() } };
    }
    const found = await lookUp(teamId, userId, options.waitForProfile === false ? 0 : PROFILE_WAIT_MS).catch((err: unknown) => {
      deps.logger.warn('could not read the reader\'s settings; answering in the defaults', err);
      return undefined;
    });
    // The database failing: whatever went wrong is still told, in the default language and time zone.
    if (!found) {
      const locale = pickLocale(deps.content.locales, []);
      return { c: deps.content.get(locale), f: { locale, timeZone: 'UTC', now: deps.now() } };
    }
    remembered.set(key, { at: Date.now(), ...found });
    if (remembered.size > 10_000) remembered.delete(remembered.keys().next().value!);
    return { c: deps.content.get(found.locale), f: { ...found, now: deps.now() } };
  };

  const lookUp = async (teamId: string, userId: string, waitMs: number): Promise<{ locale: string; timeZone: string }> => {
    let user = await getUserSettings(deps.db, teamId, userId);
    if (!profileIsFresh(user, deps.now())) {
      const key = `${teamId}:${userId}`;
      let refresh = inFlight.get(key);
      if (!refresh) {
        refresh = refreshProfile(deps, teamId, userId)
          .then(
            () => undefined,
            () => undefined,
          )
          .finally(() => inFlight.delete(key));
        inFlight.set(key, refresh);
      }
      await within(refresh, waitMs);
      user = await getUserSettings(deps.db, teamId, userId);
    }
    // The same choice the scheduled jobs make, a time zone this machine's ICU does not know included.
    const { locale, timeZone } = personFor(deps.content, await getWorkspaceSettings(deps.db, teamId), user);
    return { locale, timeZone };
  };

  readerFor.forget = (teamId: string, userId?: string) => {
    for (const key of remembered.keys()) if (key === `${teamId}:${userId}` || (!userId && key.startsWith(`${teamId}:`))) remembered.delete(key);
  };
  return readerFor;
}
