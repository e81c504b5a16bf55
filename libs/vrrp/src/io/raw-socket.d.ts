// The part of raw-socket 1.8 (CommonJS, no bundled types) that io/vrrp-socket.ts uses.
declare module 'raw-socket' {
  import type { EventEmitter } from 'node:events';
  export interface RawSocket extends EventEmitter {
    send(buffer: Buffer, offset: number, length: number, address: string, after: (error: Error | null, bytes: number) => void): RawSocket;
    setOption(level: number, option: number, value: Buffer | number, length?: number): void;
    close(): RawSocket;
    on(event: 'message', listener: (buffer: Buffer, source: string) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'close', listener: () => void): this;
  }
  export function createSocket(options: { protocol: number; addressFamily?: number; bufferSize?: number }): RawSocket;
  export const AddressFamily: { readonly IPv4: number; readonly IPv6: number };
  const raw: { createSocket: typeof createSocket; AddressFamily: typeof AddressFamily };
  export default raw;
}
