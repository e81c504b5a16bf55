import type { CommandRegistry } from '@tandem/control';
import { patternRefCommands, proxyAdminCommands, proxyOpsCommands, sessionCommands, stickTableCommands, type PatternRefSource, type ProxyAdminSource, type ProxyOpsOptions, type SessionSource, type StickTableSource } from '@tandem/proxy';

/**
 * Registers the proxy lib's admin commands (`show stat`, `show servers state`, `set server`, `get weight`, ...)
 * with the control registry (ARCHITECTURE rule 15): the proxy lib defines them, the daemon wires them, because
 * @tandem/proxy may not import @tandem/control.
 */
export function registerProxyCommands(registry: CommandRegistry, dataPlane: ProxyAdminSource & Partial<StickTableSource> & Partial<Pick<SessionSource, 'liveSessions'>> & Partial<PatternRefSource>, options: ProxyOpsOptions = {}): void {
  for (const command of proxyAdminCommands(dataPlane, options)) registry.register(command);
  // `show backend`, `show errors`, `clear counters`, `set maxconn` (issue #5).
  for (const command of proxyOpsCommands(dataPlane, options)) registry.register(command);
  // `show sess`, `shutdown session` (issue #5): the data plane's live sessions.
  if (dataPlane.liveSessions) {
    const liveSessions = dataPlane.liveSessions.bind(dataPlane);
    for (const command of sessionCommands({ runtimes: () => dataPlane.runtimes(), liveSessions })) registry.register(command);
  }
  // `show table`, `clear table` (issue #6): the data plane's stick tables.
  if (dataPlane.stickTables) for (const command of stickTableCommands({ stickTables: dataPlane.stickTables })) registry.register(command);
  // `show|get|add|del|clear map|acl`, `set map` (issue #6): the running configuration's map/ACL files.
  if (dataPlane.patternRefs) {
    const patternRefs = dataPlane.patternRefs.bind(dataPlane);
    for (const command of patternRefCommands({ patternRefs })) registry.register(command);
  }
}
