/**
 * Builds a parameterised WHERE clause from optional filters: each condition is written as SQL
 * with `?` standing for its value, which becomes the next `$n`. Values never enter the text.
 */
export class SqlFilter {
  readonly params: unknown[];
  private readonly conditions: string[] = [];

  constructor(initialParams: unknown[] = []) {
    this.params = [...initialParams];
  }

  /** Adds `condition` (with one `?` per value) unless `value` is null or undefined. */
  add(condition: string, ...values: unknown[]): this {
    if (values.some((value) => value === undefined || value === null)) return this;
    let index = 0;
    const sql = condition.replace(/\?/g, () => {
      this.params.push(values[index++]);
      return `$${this.params.length}`;
    });
    this.conditions.push(sql);
    return this;
  }

  /** The next placeholder for a value used outside the conditions (LIMIT, say). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  get where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
