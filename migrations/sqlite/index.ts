import * as migration_20261126_224504_initial from './20261126_224504_initial';

export const migrations = [
  {
    up: migration_20261126_224504_initial.up,
    down: migration_20261126_224504_initial.down,
    name: '20261126_224504_initial'
  },
];
