/**
 * What an agent (`agent-check`) answers, as HAProxy reads it: one line of words separated by spaces, commas or
 * tabs, each optional and in any order:
 *   up | down | fail | stopped     operational state (down, fail and stopped mark the server DOWN)
 *   ready | drain | maint          administrative state (ready cancels drain and maint)
 *   NN%                            weight as a percentage of the configured weight
 *   #text                          a reason, kept for the logs (everything after the #)
 */
export interface AgentReply {
  readonly operational?: 'up' | 'down';
  readonly admin?: 'ready' | 'drain' | 'maint';
  readonly weightPercent?: number;
  readonly reason?: string;
}

export function parseAgentReply(line: string): AgentReply | string {
  const hash = line.indexOf('#');
  const reason = hash >= 0 ? line.slice(hash + 1).trim() : undefined;
  const words = (hash >= 0 ? line.slice(0, hash) : line).split(/[\s,]+/).filter(Boolean);
  let operational: AgentReply['operational'];
  let admin: AgentReply['admin'];
  let weightPercent: number | undefined;
  for (const word of words.map((w) => w.toLowerCase())) {
    if (word === 'up') operational = 'up';
    else if (word === 'down' || word === 'fail' || word === 'stopped') operational = 'down';
    else if (word === 'ready' || word === 'drain' || word === 'maint') admin = word;
    else if (/^\d+%$/.test(word)) weightPercent = Number(word.slice(0, -1));
    else return `unknown agent reply word '${word}'`;
  }
  return {
    ...(operational ? { operational } : {}),
    ...(admin ? { admin } : {}),
    ...(weightPercent !== undefined ? { weightPercent } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The effective weight for `NN%` of the configured weight, as HAProxy rounds it (at least 1 unless 0%). */
export function weightFromPercent(configured: number, percent: number): number {
  if (percent <= 0) return 0;
  return Math.min(256, Math.max(1, Math.round((configured * percent) / 100)));
}
