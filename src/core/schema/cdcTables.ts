/** A table whose changes cdc_event streams: a row schema (JSON Schema) and its primary key. */
export interface CdcTableDefinition {
  /** Table name, e.g. "customers". */
  name: string;
  /** JSON Schema (or any document compileSchema reads, with `ref`) of one row. */
  schema: unknown;
  /** Which schema of the document, as for compileSchema. */
  ref?: string;
  /** Primary-key column (default "id"): integer keys count up per partition, string keys are UUIDs. */
  key?: string;
  /** Relative share of the stream's changes (default 1). */
  weight?: number;
  /** Foreign keys: column -> table; a created row points at a live row of that table when there is one. */
  references?: Record<string, string>;
}

const timestamp = { type: 'string', format: 'date-time' };

/** The default tables: a small shop's customers, orders and products. */
export const DEFAULT_CDC_TABLES: readonly CdcTableDefinition[] = [
  {
    name: 'customers',
    weight: 3,
    schema: {
      type: 'object',
      required: ['id', 'first_name', 'last_name', 'email', 'city', 'country', 'loyalty_tier', 'marketing_opt_in', 'created_at', 'updated_at'],
      properties: {
        id: { type: 'integer', minimum: 1 },
        first_name: { type: 'string', maxLength: 64 },
        last_name: { type: 'string', maxLength: 64 },
        email: { type: 'string', format: 'email' },
        city: { type: 'string' },
        country: { type: 'string' },
        loyalty_tier: { enum: ['bronze', 'silver', 'gold', 'platinum'] },
        marketing_opt_in: { type: 'boolean' },
        created_at: timestamp,
        updated_at: timestamp,
      },
      additionalProperties: false,
    },
  },
  {
    name: 'orders',
    weight: 5,
    references: { customer_id: 'customers' },
    schema: {
      type: 'object',
      required: ['id', 'customer_id', 'status', 'currency', 'total_amount', 'item_count', 'created_at', 'updated_at'],
      properties: {
        id: { type: 'integer', minimum: 1 },
        customer_id: { type: 'integer', minimum: 1, maximum: 100000 },
        status: { enum: ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        total_amount: { type: 'number', minimum: 1, maximum: 2000, multipleOf: 0.01 },
        item_count: { type: 'integer', minimum: 1, maximum: 20 },
        created_at: timestamp,
        updated_at: timestamp,
      },
      additionalProperties: false,
    },
  },
  {
    name: 'products',
    weight: 2,
    schema: {
      type: 'object',
      required: ['id', 'sku', 'name', 'department', 'price', 'stock', 'active', 'updated_at'],
      properties: {
        id: { type: 'integer', minimum: 1 },
        sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{5}$' },
        name: { type: 'string', 'x-mockjutsu': 'productName' },
        department: { type: 'string' },
        price: { type: 'number', minimum: 0.5, maximum: 999, multipleOf: 0.01 },
        stock: { type: 'integer', minimum: 0, maximum: 5000 },
        active: { type: 'boolean' },
        updated_at: timestamp,
      },
      additionalProperties: false,
    },
  },
];
