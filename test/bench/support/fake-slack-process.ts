// The fake Slack in a process of its own, so its work (decoding every call the apps make, the result DMs above
// all) never runs in the process that times the requests. Talks to its parent over IPC: it reports its URL,
// accepts users to know, and reports each views.open with the wall-clock time it arrived.
import { FakeSlack, type FakeUser } from '../../../src/fake-slack/server.js';

const fake = new FakeSlack();
await fake.start();
fake.listeners.add((call) => {
  if (call.method === 'views.open') process.send!({ kind: 'views.open', at: performance.timeOrigin + performance.now(), triggerId: call.args.trigger_id, view: call.args.view });
  // Nothing reads the recorded calls here; dropping them keeps memory flat over a long run.
  fake.calls.length = 0;
});
process.on('message', (message: { kind: 'users'; users: FakeUser[] }) => {
  for (const user of message.users) fake.users.set(user.id, user);
  process.send!({ kind: 'users-set' });
});
process.on('disconnect', () => void fake.stop().then(() => process.exit(0)));
process.send!({ kind: 'ready', apiUrl: fake.apiUrl, url: fake.url });
