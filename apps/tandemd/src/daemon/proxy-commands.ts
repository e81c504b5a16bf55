import type { CommandRegistry } from '@tandem/control';
import { proxyAdminCommands, type ProxyAdminOptions, type ProxyAdminSource } from '@tandem/proxy';

/**
 * Registers the proxy lib's admin commands (`show stat`, `show servers state`, `set server`, `get weight`, ...)
 * with the control registry (ARCHITECTURE rule 15): the proxy lib defines them, the daemon wires them, because
 * @tandem/proxy may not import @tandem/control.
 */
export function registerProxyCommands(registry: CommandRegistry, dataPlane: ProxyAdminSource, options: ProxyAdminOptions = {}): void {
  for (const command of proxyAdminCommands(dataPlane, options)) registry.register(command);
}
