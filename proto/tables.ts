/** The shape of the generated field tables (proto/descriptors.ts). */
export interface FieldTable {
  name: string;
  id: number;
  /** A scalar type ('int64', 'string', …), 'enum', or a message's full name ('pb.Op'). */
  type: string;
  repeated?: boolean;
  /** Key type of a map field (the value type is `type`). */
  mapKey?: string;
  /** Name of the oneof the field belongs to. */
  oneof?: string;
}

/** Message full name → its fields in field-number order. */
export type MessageTables = Record<string, FieldTable[]>;
