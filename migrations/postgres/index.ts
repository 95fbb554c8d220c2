import * as migration_20261126_224509_initial from './20261126_224509_initial';

export const migrations = [
  {
    up: migration_20261126_224509_initial.up,
    down: migration_20261126_224509_initial.down,
    name: '20261126_224509_initial'
  },
];
