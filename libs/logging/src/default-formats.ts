import type { LogFormatSample, ProxyLogFormat } from '@tandem/config';

/**
 * HAProxy's built-in formats (configuration.txt 8.2.2 and 8.2.3). `option httplog`, `option httplog clf` and
 * `option tcplog` are these strings, so one renderer serves every format.
 */
export const HTTP_LOG_FORMAT = '%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r';
export const TCP_LOG_FORMAT = '%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq';
export const CLF_HTTP_LOG_FORMAT = '%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl';

/** The format a proxy logs with: a `log-format` string, or one of the options. */
export function formatString(format: ProxyLogFormat): string {
  if (typeof format === 'object') return format.custom;
  return format === 'httplog' ? HTTP_LOG_FORMAT : format === 'httplog-clf' ? CLF_HTTP_LOG_FORMAT : TCP_LOG_FORMAT;
}

/** The `%[…]` expressions the config parsed for a `log-format` (none for the built-in formats). */
export function samplesOf(format: ProxyLogFormat): readonly LogFormatSample[] | undefined {
  return typeof format === 'object' ? format.samples : undefined;
}
