import * as migration_20261126_220653_initial from './20261126_220653_initial';

export const migrations = [
  {
    up: migration_20261126_220653_initial.up,
    down: migration_20261126_220653_initial.down,
    name: '20261126_220653_initial'
  },
];
