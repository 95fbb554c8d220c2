import * as migration_20261126_224504_initial from './20261126_224504_initial';
import * as migration_20261127_005943_policy_text_default from './20261127_005943_policy_text_default';
import * as migration_20261127_011106_read_indexes from './20261127_011106_read_indexes';
import * as migration_20261127_013946_public_read_index from './20261127_013946_public_read_index';
import * as migration_20261129_163453_editions from './20261129_163453_editions';
import * as migration_20261129_163627_backfill_editions from './20261129_163627_backfill_editions';

export const migrations = [
  {
    up: migration_20261126_224504_initial.up,
    down: migration_20261126_224504_initial.down,
    name: '20261126_224504_initial',
  },
  {
    up: migration_20261127_005943_policy_text_default.up,
    down: migration_20261127_005943_policy_text_default.down,
    name: '20261127_005943_policy_text_default',
  },
  {
    up: migration_20261127_011106_read_indexes.up,
    down: migration_20261127_011106_read_indexes.down,
    name: '20261127_011106_read_indexes',
  },
  {
    up: migration_20261127_013946_public_read_index.up,
    down: migration_20261127_013946_public_read_index.down,
    name: '20261127_013946_public_read_index',
  },
  {
    up: migration_20261129_163453_editions.up,
    down: migration_20261129_163453_editions.down,
    name: '20261129_163453_editions',
  },
  {
    up: migration_20261129_163627_backfill_editions.up,
    down: migration_20261129_163627_backfill_editions.down,
    name: '20261129_163627_backfill_editions'
  },
];
