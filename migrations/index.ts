import type { Migration } from 'kysely';
import * as m0001 from './0001_deals_and_assessments.js';
import * as m0002 from './0002_settings_and_teams.js';
import * as m0003 from './0003_outbox_and_schedules.js';
import * as m0004 from './0004_assessment_updates_deal.js';
import * as m0005 from './0005_deal_keeps_too_early.js';
import * as m0006 from './0006_outbox_names_its_deal.js';
import * as m0007 from './0007_deal_names_ignore_space_runs.js';
import * as m0008 from './0008_people_who_left.js';
import * as m0009 from './0009_deal_keeps_time_on_deal_since.js';
import * as m0010 from './0010_tip_channel_since.js';
import * as m0011 from './0011_team_leaves.js';
import * as m0012 from './0012_outbox_stale.js';
import * as m0013 from './0013_guests.js';

/** Every migration by name, in order; add new files here. Imported statically so tsx, vitest and tsc all see them. */
export const migrations: Record<string, Migration> = {
  '0001_deals_and_assessments': m0001,
  '0002_settings_and_teams': m0002,
  '0003_outbox_and_schedules': m0003,
  '0004_assessment_updates_deal': m0004,
  '0005_deal_keeps_too_early': m0005,
  '0006_outbox_names_its_deal': m0006,
  '0007_deal_names_ignore_space_runs': m0007,
  '0008_people_who_left': m0008,
  '0009_deal_keeps_time_on_deal_since': m0009,
  '0010_tip_channel_since': m0010,
  '0011_team_leaves': m0011,
  '0012_outbox_stale': m0012,
  '0013_guests': m0013,
};
