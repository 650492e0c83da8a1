/**
 * The wire contract shared by the server, the dashboard and the tests: one schema per
 * message (HTTP bodies, Kafka config/output records, socket.io payloads), one file per API area.
 */
export * from './alerts';
export * from './config';
export * from './issues';
export * from './operations';
export * from './rewindow';
export * from './simulator';
export * from './socket';
export * from './stats';
export * from './windows';
