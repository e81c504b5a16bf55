import type { CommandRegistry } from '@tandem/control';
import { proxyAdminCommands, proxyOpsCommands, stickTableCommands, type ProxyAdminSource, type ProxyOpsOptions, type StickTableSource } from '@tandem/proxy';

/**
 * Registers the proxy lib's admin commands (`show stat`, `show servers state`, `set server`, `get weight`, ...)
 * with the control registry (ARCHITECTURE rule 15): the proxy lib defines them, the daemon wires them, because
 * @tandem/proxy may not import @tandem/control.
 */
export function registerProxyCommands(registry: CommandRegistry, dataPlane: ProxyAdminSource & Partial<StickTableSource>, options: ProxyOpsOptions = {}): void {
  for (const command of proxyAdminCommands(dataPlane, options)) registry.register(command);
  // `show backend`, `show errors`, `clear counters`, `set maxconn` (issue #5).
  for (const command of proxyOpsCommands(dataPlane, options)) registry.register(command);
  // `show table`, `clear table` (issue #6): the data plane's stick tables.
  if (dataPlane.stickTables) for (const command of stickTableCommands({ stickTables: dataPlane.stickTables })) registry.register(command);
}
