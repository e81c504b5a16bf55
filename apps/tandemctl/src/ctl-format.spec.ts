import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerToJson, formatTable, parseDuration, parseStatCsv, renderForTerminal } from './ctl-format.js';
import { parseDrainWords, runDrain } from './ctl-drain.js';

const CSV = '# pxname,svname,scur,status,addr,\nfe,FRONTEND,2,OPEN,,\nbe,s1,1,"DRAIN",127.0.0.1:80,\n\n';

test('show stat CSV becomes objects (--json) and a table (terminal)', () => {
  assert.deepEqual(parseStatCsv(CSV), [{ pxname: 'fe', svname: 'FRONTEND', scur: 2, status: 'OPEN' }, { pxname: 'be', svname: 's1', scur: 1, status: 'DRAIN', addr: '127.0.0.1:80' }]);
  const table = renderForTerminal('show stat', CSV).split('\n');
  assert.match(table[0]!, /^pxname\s+svname\s+status\s+weight\s+scur/);
  assert.match(table[3]!, /^be\s+s1\s+DRAIN\s+1/);
  assert.equal(formatTable(['a', 'bb'], [['xyz', '1']]), 'a    bb\n---  --\nxyz  1\n');
});

test('--json: show info as an object, show backend as names, show errors as a count, set commands as ok/answer', () => {
  assert.deepEqual(answerToJson('show info', 'Name: Tandem\nUptime_sec: 5\n\n'), { Name: 'Tandem', Uptime_sec: 5 });
  assert.deepEqual(answerToJson('show backend', '# name\nbe\nstatic\n\n'), ['be', 'static']);
  assert.deepEqual(answerToJson('show errors', 'Total events captured on [25/Nov/2026:23:22:03.071] : 0\n\n'), { capturedOn: '25/Nov/2026:23:22:03.071', total: 0 });
  assert.deepEqual(answerToJson('set server be/s1 state drain', '\n'), { command: 'set server be/s1 state drain', ok: true, answer: '' });
  assert.equal((answerToJson('set server be/x state drain', 'No such server.\n\n') as { ok: boolean }).ok, false);
  assert.equal(answerToJson('show servers state', '1\n'), undefined);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('x'), undefined);
});

test('drain --wait polls show stat until the server has no current session, or times out', async () => {
  assert.deepEqual(parseDrainWords(['drain', 'be/s1', '--wait', '--timeout', '5s']), { target: 'be/s1', wait: true, intervalMs: 250, timeoutMs: 5000 });
  assert.ok('error' in parseDrainWords(['drain', 'be']));
  let t = 0;
  const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
  const sent: string[] = [];
  let scur = 3;
  const send = async (line: string) => {
    sent.push(line);
    if (line.startsWith('set')) return '\n';
    return `# pxname,svname,scur,\nbe,s1,${scur > 0 ? scur-- : 0},\n\n`;
  };
  const done = await runDrain({ target: 'be/s1', wait: true, intervalMs: 100 }, send, clock);
  assert.deepEqual([done.code, done.report.idle, done.report.waitedMs], [0, true, 300]);
  assert.equal(sent[0], 'set server be/s1 state drain');
  scur = 100;
  const late = await runDrain({ target: 'be/s1', wait: true, intervalMs: 100, timeoutMs: 250 }, send, clock);
  assert.equal(late.code, 1);
  assert.match(late.report.error!, /current session/);
  const refused = await runDrain({ target: 'be/x', wait: true, intervalMs: 100 }, async () => 'No such server.\n\n', clock);
  assert.deepEqual([refused.code, refused.report.error], [1, 'No such server.']);
});
