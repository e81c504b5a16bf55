// Pure: formats, framing, the record type and the per-frontend logger.
export type * from './log-record.types.js';
export { parseLogFormat, renderLogFormat, hasSamples, type LogFormatNode, type LogFlags, type ParsedLogFormat, type LogContext } from './log-format.js';
export { VARIABLES, logDate, gmtDate, localDate } from './log-variables.js';
export { HTTP_LOG_FORMAT, TCP_LOG_FORMAT, CLF_HTTP_LOG_FORMAT, formatString, samplesOf } from './default-formats.js';
export { FACILITIES, LEVELS, TRAFFIC_LEVEL, DEFAULT_MAX_LEN, frameSyslog, effectiveLevel, rfc3164Timestamp, rfc5424Timestamp, type SyslogTargetOptions, type SyslogHeaderFields } from './syslog-frame.js';
export { TrafficLogger, type TrafficLoggerOptions, type LineSink } from './traffic-logger.js';
// I/O: UDP through dgram-as-promised, stdout/stderr through an fs stream; drop and count, never block.
export { createLogSender, senderKey, DEFAULT_IN_FLIGHT, DEFAULT_STREAM_BUDGET, type LogSender, type LogSenderCounters, type LogTargetAddress } from './io/syslog-sender.js';
