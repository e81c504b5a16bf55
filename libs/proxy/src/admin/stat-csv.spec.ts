import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeStatCsv, encodeStatRow, STAT_FIELDS, statCsvHeader } from './stat-csv.js';

// HAProxy 2.6's `show stat` header, copied as one string (doc/management.txt 9.1 field list, then the ssl and h2
// stats modules after '-'; the h2 module's last column is `h2_backend_total_streams`, as in src/mux_h2.c and in
// captures of real HAProxy output), independent of STAT_FIELDS.
const HAPROXY_26_HEADER =
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,' +
  'chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,' +
  'check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,' +
  'req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,' +
  'agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,' +
  'agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,' +
  'reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,' +
  'safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,' +
  'ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,' +
  'h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,' +
  'h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,\n';

describe('show stat CSV', () => {
  test('the header is HAProxy 2.6\'s, column for column', () => {
    assert.equal(statCsvHeader(), HAPROXY_26_HEADER);
    // Positions scripts rely on (management.txt 9.1 numbering).
    assert.equal(STAT_FIELDS.indexOf('status'), 17);
    assert.equal(STAT_FIELDS.indexOf('type'), 32);
    assert.equal(STAT_FIELDS.indexOf('addr'), 73);
    assert.equal(STAT_FIELDS.indexOf('uweight'), 99);
    assert.equal(STAT_FIELDS.indexOf('agg_check_status'), 102);
  });

  test('a row fills the given columns, leaves the others empty and ends with a comma', () => {
    const row = encodeStatRow({ pxname: 'be', svname: 's1', scur: 0, stot: 3, status: 'DRAIN', weight: 0, act: 1, bck: 0, pid: 1, iid: 3, sid: 1, type: 2, addr: '127.0.0.1:8080', mode: 'http', uweight: 1 });
    const cells = row.trimEnd().split(',');
    assert.equal(cells.length, STAT_FIELDS.length + 1, 'one cell per column plus the empty one after the last comma');
    assert.equal(cells[0], 'be');
    assert.equal(cells[17], 'DRAIN');
    assert.equal(cells.at(-1), '');
    assert.ok(row.endsWith(',\n'));
    // Exact text of the first 33 columns: pxname..type.
    assert.equal(cells.slice(0, 33).join(','), 'be,s1,,,0,,,3,,,,,,,,,,DRAIN,0,1,0,,,,,,1,3,1,,,,2');
  });

  test('the answer is the header then the rows; values with commas or quotes are quoted', () => {
    const text = encodeStatCsv([{ pxname: 'a,b', svname: 'say "hi"' }]);
    const [header, row, end] = text.split('\n');
    assert.equal(`${header}\n`, HAPROXY_26_HEADER);
    assert.ok(row!.startsWith('"a,b","say ""hi""",,'));
    assert.equal(end, '');
  });
});
