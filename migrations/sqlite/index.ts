import * as migration_20261126_224504_initial from './20261126_224504_initial';
import * as migration_20261127_005943_policy_text_default from './20261127_005943_policy_text_default';

export const migrations = [
  {
    up: migration_20261126_224504_initial.up,
    down: migration_20261126_224504_initial.down,
    name: '20261126_224504_initial',
  },
  {
    up: migration_20261127_005943_policy_text_default.up,
    down: migration_20261127_005943_policy_text_default.down,
    name: '20261127_005943_policy_text_default'
  },
];
