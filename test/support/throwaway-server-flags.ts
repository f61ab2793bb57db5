/**
 * Settings of the tests' throw-away PostgreSQL servers: nothing on them must survive a crash of the machine, so
 * they do not flush to disk (each CREATE DATABASE of a test app, a pool or a dedicated tenant otherwise waits for
 * its files to be synced). Tests kill app processes, never the server, so they see the same behaviour.
 */
export const THROWAWAY_SERVER_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
