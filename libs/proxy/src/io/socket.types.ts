import type { Server, Socket } from 'node:net';

/** The socket the sessions drive (a TCP or TLS socket). Re-exported so l4/ and l7/ never import node:net. */
export type ProxySocket = Socket;
export type ListeningServer = Server;
