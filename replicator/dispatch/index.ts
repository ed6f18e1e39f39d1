/**
 * Dispatch: the desired state per member cluster and the sessions that carry it over each
 * member's stream (full resync on connect, then incremental Apply/Delete with acks).
 */
export * from './desired-state.js';
export * from './member-session.js';
export * from './dispatcher.js';
