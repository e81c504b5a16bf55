// Public API of @tandem/stick-tables: the pure core of HAProxy stick tables (no I/O, no timers).
export * from './stick-table.types.js';
export { normalizeKey, keyFromText, parseIpv4, parseIpv6, formatIpv6 } from './key.js';
export { sampleToKey, type SampleValueType } from './sample-key.js';
export { FreqCounter, freqAdd, freqRead, freqInit, freqLoad, freqState, RATE_SLOTS } from './freq-counter.js';
export { StickTable, validateDefinition } from './stick-table.js';
export { formatShowTable, formatShowTableHeader, formatShowTableEntry, formatKey } from './show-table.js';
