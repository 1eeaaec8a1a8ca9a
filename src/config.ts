import { z } from 'zod';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const schema = z
  .object({
    SLACK_BOT_TOKEN: z.string({ error: 'is required (the Bot User OAuth Token, xoxb-...)' }).startsWith('xoxb-', 'must start with xoxb-'),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must start with xapp-').optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default('./data/deal-coach.sqlite'),
    SLACK_API_URL: z.url({ error: 'must be a URL like https://slack.com/api/' }).optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    JOB_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // Longer than the slowest send (a lookup of a few history pages, then the post, each with its timeout), so
    // that a lease checked before a send cannot lapse during it.
    JOB_LEASE_SECONDS: z.coerce.number().int().min(30).max(3600).default(90),
  });

export type Config = z.infer<typeof schema>;

/** Thrown with one readable message that lists every setting to fix. */
export class ConfigError extends Error {}

/**
 * Why the database could not be opened, for the operator. better-sqlite3 loads its compiled part on first use, so a
 * build that failed or was made for another Node.js version shows up here, and is not a DATABASE_PATH problem.
 */
export function databaseOpenFailure(file: string, err: unknown): string {
  const { code, message } = err instanceof Error ? (err as Error & { code?: string }) : { code: undefined, message: String(err) };
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|bindings file/.test(message)) {
    return `Deal Coach cannot start: SQLite's compiled module (better-sqlite3) does not load under this Node.js ${process.version} (${message}). Run \`npm rebuild better-sqlite3\` (or \`npm ci\`) with the Node.js that runs the bot.`;
  }
  return `Deal Coach cannot start: the database ${file} cannot be opened (${message}). Check DATABASE_PATH: its folder must exist or be creatable, and be writable.`;
}

/** The only reader of the environment: parses it once, or explains everything that is missing. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(blankless);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  // Checked apart from the schema so it is reported together with every other problem.
  if (!blankless.SLACK_APP_TOKEN && !blankless.SLACK_SIGNING_SECRET) {
    lines.push('  SLACK_SIGNING_SECRET: is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (parsed.success && lines.length === 0) return parsed.data;
  throw new ConfigError(`Deal Coach cannot start. Set these in the environment or in a .env file:\n${lines.join('\n')}`);
}
