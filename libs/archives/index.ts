export * from './archive-manifest';
export * from './archive-reader';
export * from './archive-restore';
export * from './archive-writer';
export * from './retention-purge';
