import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ProxySocket } from './socket.types.js';
import { Admission } from './admission.js';

function fakeSocket(): ProxySocket & { paused: boolean } {
  const s = new EventEmitter() as unknown as ProxySocket & { paused: boolean };
  s.paused = false;
  Object.assign(s, { destroyed: false, pause: () => ((s.paused = true), s), resume: () => ((s.paused = false), s), destroy: () => Object.assign(s, { destroyed: true }) });
  return s;
}

describe('frontend and global maxconn (admission)', () => {
  it('holds connections beyond the limit unread and starts them in order when slots free', () => {
    let current = 0;
    const limits = { global: 0, fe: 2 };
    const adm = new Admission(() => limits.global, () => current);
    const started: number[] = [];
    const offer = (i: number) => adm.offer(fakeSocket(), () => current < limits.fe, () => (current++, started.push(i)));
    for (let i = 0; i < 5; i++) offer(i);
    assert.deepEqual(started, [0, 1]);
    assert.equal(adm.waiting, 3);
    current--;
    adm.release();
    assert.deepEqual(started, [0, 1, 2]);
    current -= 2;
    adm.release();
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    assert.equal(adm.waiting, 0);
  });

  it('the global limit holds every frontend; a full frontend does not hold back another', () => {
    let current = 0;
    const adm = new Admission(() => 3, () => current);
    const perFe = { a: 0, b: 0 };
    const started: string[] = [];
    const offer = (fe: 'a' | 'b', max: number) => adm.offer(fakeSocket(), () => perFe[fe] < max, () => (current++, perFe[fe]++, started.push(fe)));
    offer('a', 1);
    offer('a', 1);
    offer('b', 5);
    offer('b', 5);
    assert.deepEqual(started, ['a', 'b', 'b']);
    offer('b', 5);
    assert.equal(adm.waiting, 2, 'global maxconn 3 reached');
    current--;
    perFe.b--;
    adm.release();
    assert.deepEqual(started, ['a', 'b', 'b', 'b'], 'the held a does not fit its frontend; the next b starts');
  });

  it('a held connection that closes leaves the line', () => {
    const adm = new Admission(() => 1, () => 1);
    const s = fakeSocket();
    adm.offer(s, () => true, () => assert.fail('must not start'));
    assert.equal(s.paused, true);
    s.emit('close');
    assert.equal(adm.waiting, 0);
  });
});
