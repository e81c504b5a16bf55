#!/usr/bin/env node
// Turns wrk's text output into "req_s p50_ms p99_ms mb_s cpu_pct rss_mib" for run.sh.
// argv: wrkOutput cpuTicks wallMs clkTck rssKiB
const [out, ticks, wallMs, clk, rssKiB] = process.argv.slice(2);
const num = (re) => {
  const m = re.exec(out);
  return m ? m : undefined;
};
const toMs = (value, unit) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? 1);
const toMB = (value, unit) => Number(value) * ({ B: 1 / 1048576, KB: 1 / 1024, MB: 1, GB: 1024 }[unit] ?? 1);
const rps = num(/Requests\/sec:\s+([\d.]+)/);
const p50 = num(/\s50%\s+([\d.]+)(us|ms|s)/);
const p99 = num(/\s99%\s+([\d.]+)(us|ms|s)/);
const transfer = num(/Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/);
const cpu = (Number(ticks) / Number(clk)) / (Number(wallMs) / 1000) * 100;
const fields = [
  rps ? Math.round(Number(rps[1])) : 0,
  p50 ? toMs(p50[1], p50[2]).toFixed(2) : '-',
  p99 ? toMs(p99[1], p99[2]).toFixed(2) : '-',
  transfer ? toMB(transfer[1], transfer[2]).toFixed(0) : 0,
  cpu.toFixed(0),
  (Number(rssKiB) / 1024).toFixed(0),
];
process.stdout.write(fields.join(' ') + '\n');
