/**
 * Every table of the migrated schema must have a merge rule, so a migration that adds a table
 * without telling `ccaudit merge` how to fold it fails here, not in a user's merged store.
 */
import { describe, expect, it } from 'vitest';
import { MERGE_RULES, openStore, storeTables, tablesWithoutMergeRule } from '../../src/store/index.js';

describe('merge rules', () => {
  const store = openStore(':memory:');
  const tables = storeTables(store);

  it('cover every table of the latest schema', () => {
    expect(tables.length).toBeGreaterThanOrEqual(11);
    expect(tablesWithoutMergeRule(store)).toEqual([]);
  });

  it('name only tables and columns that exist, and refer only to tables merged before them', () => {
    const order = MERGE_RULES.map((r) => r.table);
    for (const [i, rule] of MERGE_RULES.entries()) {
      expect(tables, rule.table).toContain(rule.table);
      const cols = (store.db.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(rule.table) as Array<{ name: string; pk: number }>).map(
        (c) => c.name,
      );
      for (const c of [...rule.key, ...(rule.same ?? []), ...Object.keys(rule.refs ?? {})]) expect(cols, `${rule.table}.${c}`).toContain(c);
      expect(cols.includes('id'), `${rule.table} hasId`).toBe(rule.hasId);
      for (const target of Object.values(rule.refs ?? {})) {
        expect(order.indexOf(target), `${rule.table} → ${target}`).toBeGreaterThanOrEqual(0);
        expect(order.indexOf(target), `${rule.table} → ${target}`).toBeLessThan(i);
        expect(MERGE_RULES.find((r) => r.table === target)?.hasId, `${target} has ids to map`).toBe(true);
      }
    }
  });

  it('cover every foreign key of the schema', () => {
    for (const rule of MERGE_RULES) {
      const fks = store.db.prepare(`SELECT "from", "table" FROM pragma_foreign_key_list(?)`).all(rule.table) as Array<{
        from: string;
        table: string;
      }>;
      for (const fk of fks) expect(rule.refs?.[fk.from], `${rule.table}.${fk.from} → ${fk.table}`).toBe(fk.table);
    }
  });
});
