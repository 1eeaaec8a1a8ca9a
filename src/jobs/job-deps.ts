import type { Content } from '../content/load.js';
import { pickLocale } from '../content/locale.js';
import type { LocaleContent } from '../content/schema.js';
import type { Db } from '../db/create-db.js';
import type { UserSettings, WorkspaceSettings } from '../db/repositories/settings.js';
import { isValidTimeZone } from './local-time.js';

/** What planning jobs need: the database and the texts. They never call Slack. */
export interface JobDeps {
  db: Db;
  content: Content;
}

/** A person's time zone: their Slack profile's, else the workspace's, else UTC. */
export function timeZoneFor(workspace: WorkspaceSettings, user: Pick<UserSettings, 'timezone'> | undefined): string {
  const zone = user?.timezone && isValidTimeZone(user.timezone) ? user.timezone : workspace.timezone;
  return isValidTimeZone(zone) ? zone : 'UTC';
}

/** A person's texts and time zone from the cached settings alone, so planning never waits on Slack. */
export function personFor(content: Content, workspace: WorkspaceSettings, user: UserSettings | undefined): { c: LocaleContent; locale: string; timeZone: string } {
  const locale = pickLocale(content.locales, [user?.language, user?.slack_locale, workspace.language]);
  return { c: content.get(locale), locale, timeZone: timeZoneFor(workspace, user) };
}
